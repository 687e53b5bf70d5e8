import { useEffect, useRef } from 'react';
import type { EpochMetrics } from '../../../../app/domain/training';
import { StarIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { useTrainingFormat } from './training-format';

/** Every finished epoch of a run, the best one (lowest validation loss) marked; follows the newest row while live. */
export function EpochTable({
  epochs,
  bestEpoch,
  live,
}: {
  epochs: EpochMetrics[];
  bestEpoch: number | null;
  live: boolean;
}) {
  const t = useT().training.epochs;
  const f = useTrainingFormat();
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (live && el) el.scrollTop = el.scrollHeight;
  }, [epochs.length, live]);
  if (epochs.length === 0) return <p className="train-hint">{t.empty}</p>;
  return (
    <div className="epoch-table-scroll" ref={scroller} tabIndex={0} role="region" aria-label={t.label}>
      <table className="train-table epoch-table" data-testid="epoch-table">
        <thead>
          <tr>
            <th scope="col">{t.epoch}</th>
            <th scope="col">{t.trainLoss}</th>
            <th scope="col">{t.trainAccuracy}</th>
            <th scope="col">{t.valLoss}</th>
            <th scope="col">{t.valAccuracy}</th>
            <th scope="col">{t.learningRate}</th>
            <th scope="col">{t.imagesPerSecond}</th>
            <th scope="col">{t.time}</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map((e) => {
            const best = e.epoch === bestEpoch;
            return (
              <tr key={e.epoch} className={best ? 'best' : undefined}>
                <th scope="row">
                  {e.epoch}
                  {best && (
                    <span className="best-mark" title={t.bestEpoch}>
                      <StarIcon width={12} height={12} />
                      <span className="visually-hidden">{t.best}</span>
                    </span>
                  )}
                </th>
                <td>{f.loss(e.trainLoss)}</td>
                <td>{f.percent(e.trainAccuracy)}</td>
                <td>{e.valLoss === null ? t.none : f.loss(e.valLoss)}</td>
                <td>{e.valAccuracy === null ? t.none : f.percent(e.valAccuracy)}</td>
                <td>{f.rate(e.learningRate)}</td>
                <td>{f.int(e.imagesPerSecond)}</td>
                <td>{f.duration(e.seconds)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
