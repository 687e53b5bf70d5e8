import type { RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from '../evaluate/use-evaluation';
import { TOP_K_CHOICES } from './predict-model';

/** Which run predicts (the project's model first) and how many classes each image shows. */
export function PredictPickers({
  runs,
  runId,
  onRun,
  topK,
  onTopK,
}: {
  runs: RunSummary[];
  runId: string;
  onRun(runId: string): void;
  topK: number;
  onTopK(k: number): void;
}) {
  const t = useT();
  const te = t.evaluation;
  const { percent } = useNumberFormats();
  const ordered = [...runs].sort((a, b) => Number(b.isModel) - Number(a.isModel));
  return (
    <div className="pred-pickers">
      <label className="pred-field">
        <span className="pred-field-label">{t.predict.runLabel}</span>
        <select className="select" value={runId} onChange={(e) => onRun(e.target.value)}>
          {ordered.map((run) => {
            const name = run.isModel ? te.modelRun(run.name) : run.name;
            const accuracy = run.finalValAccuracy ?? run.bestValAccuracy;
            return (
              <option key={run.id} value={run.id}>
                {accuracy === null ? name : te.runAccuracy(name, percent(accuracy))}
              </option>
            );
          })}
        </select>
      </label>
      <label className="pred-field">
        <span className="pred-field-label">{t.predict.topKLabel}</span>
        <select className="select" value={topK} onChange={(e) => onTopK(Number(e.target.value))}>
          {TOP_K_CHOICES.map((k) => (
            <option key={k} value={k}>
              {t.predict.topK(k)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
