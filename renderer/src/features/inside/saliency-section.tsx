import type { Inspection } from '../../../../app/domain/inspect';
import { useT } from '../../i18n/i18n';
import { HeatmapCanvas } from '../predict/prediction-visual';
import { fitScale } from './atlas';
import { AtlasCanvas } from './atlas-canvas';

/** Grad-CAM over the input for the explained class; the classes to pick from beside it. */
export function SaliencySection({
  inspection,
  onLabel,
}: {
  inspection: Inspection;
  onLabel(label: string): void;
}) {
  const t = useT().inside.saliency;
  const { input, heatmap, top } = inspection;
  const scale = fitScale(input.tileWidth, input.tileHeight, 240);
  const predicted = top[0]?.label;
  const any = heatmap.values.some((v) => v > 0);
  return (
    <section className="inside-card" aria-labelledby="inside-saliency">
      <h3 className="inside-heading" id="inside-saliency">
        {t.heading}
      </h3>
      <p className="inside-text">{t.body}</p>
      <div className="inside-saliency">
        <figure className="inside-saliency-figure" data-label={heatmap.label}>
          <div className="inside-stack">
            <AtlasCanvas atlas={input} scale={scale} />
            <HeatmapCanvas className="inside-heat" heatmap={heatmap} />
          </div>
          <figcaption className="inside-caption">
            {any ? t.explaining(heatmap.label) : t.flat(heatmap.label)}
          </figcaption>
          <span className="inside-legend" aria-hidden="true">
            <span>{t.low}</span>
            <span className="inside-legend-ramp" />
            <span>{t.high}</span>
          </span>
        </figure>
        <div className="inside-saliency-classes">
          <p className="inside-muted">{t.pick}</p>
          <ul className="inside-class-chips">
            {top.map((c) => (
              <li key={c.label}>
                <button
                  type="button"
                  className="inside-chip"
                  aria-pressed={c.label === heatmap.label}
                  onClick={() => onLabel(c.label)}
                >
                  {c.label}
                  {c.label === predicted && <span className="inside-chip-note"> · {t.predicted}</span>}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
