import { useEffect, useRef } from 'react';
import type { HeatMap } from '../../../../app/domain/prediction';
import { useT } from '../../i18n/i18n';
import { heatPixels } from './predict-model';
import type { Explanation } from './use-explanations';

/** How the heat maps are shown: on or off, and their opacity (0–1). */
export interface OverlaySettings {
  on: boolean;
  opacity: number;
}

/**
 * The Grad-CAM values drawn with the colour map on a canvas the size of the map; CSS scales it over the image.
 * Shared by Predict's cards and Look inside.
 */
export function HeatmapCanvas({
  heatmap,
  opacity,
  className = 'pred-heatmap',
}: {
  heatmap: HeatMap;
  opacity?: number;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || heatmap.width <= 0 || heatmap.height <= 0) return;
    canvas.width = heatmap.width;
    canvas.height = heatmap.height;
    const pixels = heatPixels(heatmap.values, heatmap.width, heatmap.height);
    context.putImageData(new ImageData(pixels, heatmap.width, heatmap.height), 0, 0);
    canvas.dataset.drawn = heatmap.label;
  }, [heatmap]);
  return (
    <canvas
      ref={ref}
      className={className}
      style={opacity === undefined ? undefined : { opacity }}
      aria-hidden="true"
    />
  );
}

/** An image's preview (as the model framed it) under its heat map; a placeholder until explain answers. */
export function PredictionVisual({
  name,
  explanation,
  overlay,
}: {
  name: string;
  explanation: Explanation | undefined;
  overlay: OverlaySettings;
}) {
  const t = useT().predict.cards;
  const data = explanation?.data ?? null;
  if (!data) {
    const failed = !!explanation?.error;
    return (
      <div className={`pred-visual pred-visual-empty${failed ? ' failed' : ''}`}>
        <span className="pred-visual-note">{failed ? t.explainFailed : t.thumbPending}</span>
      </div>
    );
  }
  return (
    <figure className={`pred-visual${explanation?.loading ? ' loading' : ''}`}>
      <img
        className="pred-thumb"
        src={data.thumbnail}
        alt={t.imageAlt(name)}
        draggable={false}
        onLoad={(event) => {
          const img = event.currentTarget;
          img.classList.toggle('upscaled', img.naturalWidth > 0 && img.naturalWidth * 1.5 < img.clientWidth);
        }}
      />
      {overlay.on && <HeatmapCanvas heatmap={data.heatmap} opacity={overlay.opacity} />}
      {overlay.on && (
        <figcaption className="pred-visual-caption">
          {data.heatmap.values.some((v) => v > 0)
            ? t.explaining(data.heatmap.label)
            : t.flat(data.heatmap.label)}
        </figcaption>
      )}
    </figure>
  );
}

/** The heat map toggle and opacity slider shared by every card. */
export function OverlayControls({
  overlay,
  onChange,
}: {
  overlay: OverlaySettings;
  onChange(o: OverlaySettings): void;
}) {
  const t = useT().predict.cards;
  return (
    <div className="pred-overlay-controls">
      <label className="pred-toggle">
        <input
          type="checkbox"
          checked={overlay.on}
          onChange={(e) => onChange({ ...overlay, on: e.target.checked })}
        />
        <span>{t.overlay}</span>
      </label>
      <label className="pred-opacity">
        <span>{t.opacity}</span>
        <input
          type="range"
          min={0.1}
          max={1}
          step={0.05}
          value={overlay.opacity}
          disabled={!overlay.on}
          onChange={(e) => onChange({ ...overlay, opacity: Number(e.target.value) })}
        />
      </label>
      <span className="pred-muted pred-overlay-hint">{t.overlayHint}</span>
      <span className="pred-legend" aria-hidden="true">
        <span>{t.low}</span>
        <span className="pred-legend-ramp" />
        <span>{t.high}</span>
      </span>
    </div>
  );
}
