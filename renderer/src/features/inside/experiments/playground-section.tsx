import { useMemo, useState } from 'react';
import type {
  ConvolveResult,
  InspectModel,
  InspectSource,
  Inspection,
} from '../../../../../app/domain/inspect';
import { useLocale } from '../../../i18n/i18n';
import { wordError } from '../../dataset/wording/app-errors';
import type { InsideExperimentsMessages } from '../../../i18n/inside-experiments-en';
import { XpAtlasCanvas } from './atlas-canvas';
import { CLASSIC_KERNELS, formatKernelCell, matchKernel, parseKernel, type KernelName } from './kernels';
import { useRequest } from './use-request';

/**
 * The filter playground: a classic filter or a typed 3×3 grid, convolved with the image by inspect:convolve, beside
 * the first layer's learned filters that look most like it (their weights, similarity and response).
 */
export function PlaygroundSection({
  projectId,
  model,
  source,
  inspection,
  t,
}: {
  projectId: string;
  model: InspectModel;
  source: InspectSource;
  inspection: Inspection;
  t: InsideExperimentsMessages;
}) {
  const p = t.playground;
  const { locale, messages } = useLocale();
  const [cells, setCells] = useState<string[]>(() => CLASSIC_KERNELS.laplacian.map(formatKernelCell));
  const [applied, setApplied] = useState<number[] | null>(null);
  const kernel = parseKernel(cells);
  const key = applied
    ? JSON.stringify([projectId, model, source, applied, inspection.runId, inspection.epoch])
    : '';
  const result = useRequest<ConvolveResult>(key, (api) =>
    api.inspect.convolve({ projectId, ...model, source, kernel: applied ?? [] }),
  );
  const number = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }), [locale]);
  const pressed = kernel ? matchKernel(kernel) : null;
  const filters = inspection.filters[0];
  const choose = (name: KernelName) => {
    const k = [...CLASSIC_KERNELS[name]];
    setCells(k.map(formatKernelCell));
    setApplied(k);
  };
  return (
    <section className="xp-section card" aria-labelledby="xp-playground" data-testid="xp-playground">
      <h3 id="xp-playground">{p.title}</h3>
      <p className="xp-explain">{p.explain}</p>
      <div className="xp-presets" role="group" aria-label={p.presets}>
        {(Object.keys(CLASSIC_KERNELS) as KernelName[]).map((name) => (
          <button
            key={name}
            type="button"
            className="button small"
            aria-pressed={pressed === name}
            onClick={() => choose(name)}
          >
            {p.kernels[name]}
          </button>
        ))}
      </div>
      <div className="xp-figure">
        <form
          className="xp-kernel"
          onSubmit={(e) => {
            e.preventDefault();
            if (kernel) setApplied(kernel);
          }}
        >
          <fieldset>
            <legend>{p.grid}</legend>
            <div className="xp-kernel-grid">
              {cells.map((value, i) => (
                <input
                  key={i}
                  value={value}
                  inputMode="decimal"
                  aria-label={p.cell(Math.floor(i / 3), i % 3)}
                  aria-invalid={parseKernel([value, ...Array(8).fill('0')]) === null}
                  onChange={(e) => setCells((c) => c.map((v, j) => (j === i ? e.target.value : v)))}
                />
              ))}
            </div>
          </fieldset>
          {!kernel && <p className="xp-error">{p.invalid}</p>}
          <button type="submit" className="button small primary" disabled={!kernel}>
            {p.apply}
          </button>
        </form>
        {result.error && (
          <p className="xp-error" role="alert">
            {t.failed} {wordError(messages, result.error)}{' '}
            <button type="button" className="button small" onClick={result.retry}>
              {t.retry}
            </button>
          </p>
        )}
        {result.loading && <span className="xp-muted">{t.loading}</span>}
        {result.value && (
          <>
            <figure>
              <XpAtlasCanvas
                atlas={result.value.response}
                size={160}
                label={p.response}
                testId="xp-response"
              />
              <figcaption>{p.response}</figcaption>
            </figure>
            <div className="xp-similar">
              <h4>{p.similar}</h4>
              {result.value.similar.length === 0 && <p className="xp-muted">{p.noFilters}</p>}
              <ul>
                {result.value.similar.map((s) => (
                  <li key={s.filter}>
                    {filters && (
                      <XpAtlasCanvas
                        atlas={filters.atlas}
                        tile={s.filter}
                        size={48}
                        label={p.filterOf(s.filter)}
                      />
                    )}
                    <XpAtlasCanvas atlas={s.response} size={96} label={p.responseOf(s.filter)} />
                    <span>
                      {p.filter(s.filter)}
                      <br />
                      <span className="xp-muted">{p.similarity(number.format(s.similarity))}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
