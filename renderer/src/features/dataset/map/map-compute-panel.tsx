import { useState } from 'react';
import type { DatasetMapMethod, DatasetMapProgress } from '../../../../../app/domain/dataset-map';
import { useLocale } from '../../../i18n/i18n';

/** Before the first map: what the map is, the method (UMAP by default) and "Compute map". */
export function MapIntro({ onCompute }: { onCompute(method: DatasetMapMethod): void }) {
  const t = useLocale().messages.datasetMap.intro;
  const [method, setMethod] = useState<DatasetMapMethod>('umap');
  return (
    <div className="map-panel">
      <h2 className="map-panel-title">{t.title}</h2>
      <p className="map-panel-body">{t.body}</p>
      <fieldset className="map-methods">
        <legend>{t.method}</legend>
        {(['umap', 'pca'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="map-method"
              value={m}
              checked={method === m}
              onChange={() => setMethod(m)}
            />
            {t[m]}
          </label>
        ))}
      </fieldset>
      <p className="muted map-panel-hint">{t.umapHint}</p>
      <button type="button" className="button primary" onClick={() => onCompute(method)}>
        {t.compute}
      </button>
    </div>
  );
}

/** While the map is computed: the phase in words, a progress bar and Cancel. */
export function MapProgress({
  method,
  progress,
  onCancel,
}: {
  method: DatasetMapMethod;
  progress: DatasetMapProgress | null;
  onCancel(): void;
}) {
  const { locale, messages } = useLocale();
  const t = messages.datasetMap;
  const number = new Intl.NumberFormat(locale);
  const total = progress?.total ?? 0;
  return (
    <div className="map-panel" aria-live="polite">
      <h2 className="map-panel-title">{t.computing.title(t.methodName[method])}</h2>
      <p className="map-panel-body">{progress ? t.computing.phase[progress.phase] : t.computing.starting}</p>
      <progress
        className="map-progress"
        max={total > 0 ? total : undefined}
        value={total > 0 ? progress?.done : undefined}
      />
      {progress && total > 0 && (
        <p className="muted map-progress-count">
          {t.computing.count(number.format(progress.done), number.format(total))}
        </p>
      )}
      <button type="button" className="button" onClick={onCancel}>
        {t.computing.cancel}
      </button>
    </div>
  );
}
