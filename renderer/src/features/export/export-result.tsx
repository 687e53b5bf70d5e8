import type { ModelExportResult } from '../../../../app/domain/model-export';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from '../evaluate/use-evaluation';
import { ExportDocs } from './export-docs';

/** `text` with its `backticked` parts as code. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}

/** A finished export: where it went, the files, the parity check (passed or failed, with its figures), usage. */
export function ExportResult({
  result,
  seconds,
  input,
}: {
  result: ModelExportResult;
  seconds: number | null;
  input: { channels: number; size: number } | null;
}) {
  const t = useT();
  const te = t.modelExport;
  const tr = te.result;
  const { percent } = useNumberFormats();
  const p = result.parity;
  return (
    <section
      className="card export-result"
      aria-labelledby="export-result-heading"
      data-testid="export-result"
    >
      <h3 id="export-result-heading" className="export-heading">
        {tr.heading(te.formats[result.format].name)}
      </h3>
      <dl className="export-facts">
        <dt>{tr.folder}</dt>
        <dd>
          <code className="export-path" data-testid="export-dir">
            {result.dir}
          </code>
        </dd>
        <dt>{tr.files}</dt>
        <dd>
          <ul className="export-files" data-testid="export-files">
            {result.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {seconds !== null && <p className="hint">{tr.seconds(seconds.toFixed(1))}</p>}

      <div
        className={`export-parity ${p.ok ? 'ok' : 'failed'}`}
        data-testid="export-parity"
        data-ok={String(p.ok)}
      >
        <h4 className="export-subheading">{tr.parityHeading}</h4>
        <p className="export-verdict" role="status">
          <span aria-hidden="true">{p.ok ? '✓ ' : '✗ '}</span>
          {p.ok ? tr.parityOk : tr.parityFailed}
        </p>
        <dl className="export-stats">
          <div>
            <dt>{tr.maxAbsDiff}</dt>
            <dd data-testid="parity-max-diff">
              {Number.isFinite(p.maxAbsDiff) ? p.maxAbsDiff.toExponential(2) : '—'}
            </dd>
            <dd className="hint">{tr.tolerance}</dd>
          </div>
          <div>
            <dt>{tr.top1}</dt>
            <dd data-testid="parity-top1">{percent(p.top1Agreement)}</dd>
          </div>
          <div>
            <dt>{tr.images}</dt>
            <dd>{tr.imagesFrom(p.images, tr.source[p.source] ?? p.source)}</dd>
          </div>
          <div>
            <dt>{tr.batchSizes}</dt>
            <dd>{p.batchSizes.join(', ')}</dd>
          </div>
        </dl>
      </div>

      <div className="export-usage">
        <h4 className="export-subheading">{te.usage.heading}</h4>
        <ul>
          {te.usage[result.format].map((line) => (
            <li key={line}>{withCode(line)}</li>
          ))}
        </ul>
        {input && result.format !== 'native' && (
          <p className="hint">{te.usage.shape(input.channels, input.size)}</p>
        )}
        <ExportDocs format={result.format} />
      </div>
    </section>
  );
}
