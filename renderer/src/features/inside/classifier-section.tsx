import type { Inspection } from '../../../../app/domain/inspect';
import type { ModelDescription } from '../../../../app/domain/model-spec';
import { useT } from '../../i18n/i18n';
import { ratio } from '../train/network-format';
import { useNumbers } from '../train/network-view';
import { ClassBars } from '../../components/class-bars';

/** The input of the last dense layer: its size and, for feature maps, their shape ("64×3×3"). */
export function denseInput(inspection: Inspection): { size: number; shape: string | null } | null {
  const { layers } = inspection;
  let last = -1;
  layers.forEach((l, i) => {
    if (l.type === 'dense') last = i;
  });
  if (last < 0) return null;
  const before = last > 0 ? layers[last - 1].shape : null;
  if (!before) return null;
  const [c, h, w] = before;
  return { size: c * h * w, shape: h === 1 && w === 1 ? null : `${c}×${h}×${w}` };
}

/** The final probabilities as bars (a click explains that class) and what the dense layer reads. */
export function ClassifierSection({
  inspection,
  label,
  onLabel,
}: {
  inspection: Inspection;
  /** The class the Grad-CAM overlay explains. */
  label: string;
  onLabel(label: string): void;
}) {
  const t = useT().inside.classifier;
  const { n } = useNumbers();
  const input = denseInput(inspection);
  const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
  return (
    <section className="inside-card" aria-labelledby="inside-classifier">
      <h3 className="inside-heading" id="inside-classifier">
        {t.heading}
      </h3>
      <p className="inside-text">{t.body}</p>
      {input && (
        <p className="inside-muted" data-testid="dense-input">
          {input.shape ? t.denseInputMaps(n(input.size), input.shape) : t.denseInput(n(input.size))}
        </p>
      )}
      <ClassBars
        classes={inspection.top}
        selected={label}
        onSelect={onLabel}
        label={t.barsLabel}
        percent={percent}
        title={t.explain}
      />
    </section>
  );
}

/** The model's parameters next to those of the same network with fully connected layers instead of convolutions. */
export function SharingSection({ description }: { description: ModelDescription }) {
  const t = useT().inside.sharing;
  const { n } = useNumbers();
  const params = description.totalParams;
  const dense = description.totalFullyConnectedParams;
  const times = ratio(dense, params);
  const share = dense > 0 ? Math.max(0.5, (params / dense) * 100) : 100;
  return (
    <section className="inside-card" aria-labelledby="inside-sharing">
      <h3 className="inside-heading" id="inside-sharing">
        {t.heading}
      </h3>
      <p className="inside-text">{t.body}</p>
      <dl className="inside-sharing">
        <div>
          <dt>{t.model}</dt>
          <dd data-testid="inside-params">
            <span className="inside-sharing-bar model" style={{ width: `${Math.min(100, share)}%` }} />
            {t.params(n(params))}
          </dd>
        </div>
        <div>
          <dt>{t.dense}</dt>
          <dd>
            <span className="inside-sharing-bar dense" style={{ width: '100%' }} />
            {t.params(n(dense))}
          </dd>
        </div>
      </dl>
      <p className="inside-text" data-testid="inside-sharing-ratio">
        {t.ratio(n(times), n(params), n(dense))}
      </p>
    </section>
  );
}
