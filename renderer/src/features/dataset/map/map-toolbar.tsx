import type { DatasetMapMethod } from '../../../../../app/domain/dataset-map';
import { useT } from '../../../i18n/i18n';
import type { MapTool } from './map-gestures';

const TOOLS: MapTool[] = ['pan', 'lasso', 'box'];

/** The map's tools (pan, lasso, box), zoom buttons for keyboard users, Reset view and the mislabeled toggle. */
export function MapToolbar({
  tool,
  onTool,
  onZoom,
  onReset,
  showMislabeled,
  onShowMislabeled,
  method,
  onMethod,
}: {
  tool: MapTool;
  onTool(tool: MapTool): void;
  onZoom(factor: number): void;
  onReset(): void;
  showMislabeled: boolean;
  onShowMislabeled(show: boolean): void;
  method: DatasetMapMethod;
  /** Shows the map of another method (computing it when it is not cached). */
  onMethod(method: DatasetMapMethod): void;
}) {
  const all = useT().datasetMap;
  const t = all.toolbar;
  return (
    <div className="map-toolbar" role="toolbar" aria-label={t.label}>
      <div className="toolbar-group" role="group">
        {TOOLS.map((name) => (
          <button
            key={name}
            type="button"
            className="button small"
            aria-pressed={tool === name}
            onClick={() => onTool(name)}
          >
            {t[name]}
          </button>
        ))}
      </div>
      <div className="toolbar-group" role="group">
        <button
          type="button"
          className="button small map-zoom"
          aria-label={t.zoomIn}
          title={t.zoomIn}
          onClick={() => onZoom(1.5)}
        >
          +
        </button>
        <button
          type="button"
          className="button small map-zoom"
          aria-label={t.zoomOut}
          title={t.zoomOut}
          onClick={() => onZoom(1 / 1.5)}
        >
          −
        </button>
        <button type="button" className="button small" onClick={onReset}>
          {t.reset}
        </button>
      </div>
      <label className="map-toggle">
        {t.method}
        <select value={method} onChange={(event) => onMethod(event.target.value as DatasetMapMethod)}>
          <option value="umap">{all.intro.umap}</option>
          <option value="pca">{all.intro.pca}</option>
        </select>
      </label>
      <label className="map-toggle">
        <input
          type="checkbox"
          checked={showMislabeled}
          onChange={(event) => onShowMislabeled(event.target.checked)}
        />
        {t.mislabeled}
      </label>
    </div>
  );
}
