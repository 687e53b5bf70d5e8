import { useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';

/**
 * "Export dataset": copies the dataset to class folders with a CSV manifest (`dataset:export`). Named apart from
 * the Export tab (which exports the model) and opened from the dataset's toolbar.
 */
export function ExportPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const x = t.dataset.exporter;
  const [dir, setDir] = useState('');
  const [bySplit, setBySplit] = useState(false);
  const [includeUnlabeled, setIncludeUnlabeled] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const fieldId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!dir.trim()) return;
    setBusy(true);
    setDone(null);
    const result = await call((api) =>
      api.dataset.export({ projectId, dir: dir.trim(), bySplit, includeUnlabeled }),
    );
    setBusy(false);
    if (result.ok) {
      setError(null);
      setDone(x.done(result.value.exported, result.value.dir));
    } else setError(result.error);
  };
  return (
    <div className="side-panel-body">
      <form className="panel-section form" onSubmit={(e) => void submit(e)}>
        <p className="hint">{x.body}</p>
        <div className="field">
          <label htmlFor={fieldId}>{x.dir}</label>
          <input
            id={fieldId}
            type="text"
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            spellCheck={false}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={bySplit} onChange={(e) => setBySplit(e.target.checked)} />
          {x.bySplit}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={includeUnlabeled}
            onChange={(e) => setIncludeUnlabeled(e.target.checked)}
          />
          {x.includeUnlabeled}
        </label>
        <div className="panel-actions">
          <button type="submit" className="button primary" disabled={busy || !dir.trim()}>
            {x.submit}
          </button>
        </div>
        {done && (
          <p className="success" role="status">
            {done}
          </p>
        )}
        <ErrorMessage error={error} context={x.failed} />
      </form>
    </div>
  );
}
