import { useId, useState } from 'react';
import type { ImportedModelOrigin, ImportModelResult } from '../../../../app/domain/training-package';
import type { AppError, Result } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';

/** Files import-model reads: ours (.cnnmodel, a run's .model) and ONNX. */
const MODEL_EXTENSIONS = ['.cnnmodel', '.model', '.onnx'];

export function isModelFile(file: string): boolean {
  const lower = file.toLowerCase();
  return MODEL_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export function isOnnxFile(file: string): boolean {
  return file.toLowerCase().endsWith('.onnx');
}

export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Imports a model file as a run of the project (runs:importModel). */
export function importModel(projectId: string, file: string): Promise<Result<ImportModelResult>> {
  return call((api) => api.runs.importModel({ projectId, file }));
}

/** "Imported" next to a run's name; the file it came from in the tooltip. */
export function ImportedBadge({ origin }: { origin: ImportedModelOrigin | null }) {
  const t = useT().importModel;
  if (!origin) return null;
  const hint = t.badgeHint(origin.fileName, t.formats[origin.format] ?? origin.format);
  return (
    <span className="imported-badge" title={hint} data-testid="imported-badge">
      {t.badge}
      <span className="visually-hidden"> ({hint})</span>
    </span>
  );
}

/** The outcome of the last import, worded (a success line or the error from its code). */
export function ImportOutcome({ outcome }: { outcome: ImportState }) {
  const t = useT().importModel;
  if (outcome.kind === 'idle') return null;
  if (outcome.kind === 'busy')
    return (
      <p className="train-hint" role="status">
        {t.importing}
      </p>
    );
  if (outcome.kind === 'failed') return <ErrorMessage error={outcome.error} context={t.failed} />;
  return (
    <p className="train-hint import-done" role="status" data-testid="import-done">
      {t.imported(outcome.file, outcome.run)}
    </p>
  );
}

export type ImportState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; file: string; run: string }
  | { kind: 'failed'; error: AppError };

/** Runs an import and tracks its outcome for ImportOutcome. */
export function useModelImport(projectId: string) {
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const run = async (file: string) => {
    setState({ kind: 'busy' });
    const r = await importModel(projectId, file);
    setState(
      r.ok
        ? { kind: 'done', file: baseName(file), run: r.value.run.name }
        : { kind: 'failed', error: r.error },
    );
    return r.ok;
  };
  return { state, run };
}

/** "Import model…": picks a .cnnmodel or .onnx with the OS dialog and imports it. */
export function ImportModelButton({ disabled, onPick }: { disabled?: boolean; onPick(file: string): void }) {
  const t = useT().importModel;
  const pick = async () => {
    const r = await call((api) => api.dialog.open({ kind: 'model-import', multiple: false }));
    if (r.ok && r.value.paths[0]) onPick(r.value.paths[0]);
  };
  return (
    <button
      type="button"
      className="button small"
      title={t.buttonHint}
      disabled={disabled}
      onClick={() => void pick()}
    >
      {t.button}
    </button>
  );
}

/**
 * A model file dropped on the project (outside Dataset and Predict): import it as a run, or predict with it (our
 * own format only: Predict opens .cnnmodel files, not ONNX).
 */
export function ModelDropDialog({
  file,
  onImport,
  onPredict,
  onClose,
}: {
  file: string | null;
  onImport(): void;
  onPredict(): void;
  onClose(): void;
}) {
  const t = useT().importModel.drop;
  const bodyId = useId();
  const onnx = file !== null && isOnnxFile(file);
  return (
    <Dialog
      open={file !== null}
      title={t.title(file ? baseName(file) : '')}
      onClose={onClose}
      describedBy={bodyId}
    >
      <p id={bodyId} className="dialog-text">
        {onnx ? t.bodyOnnx : t.body}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t.cancel}
        </button>
        {!onnx && (
          <button type="button" className="button" onClick={onPredict}>
            {t.predict}
          </button>
        )}
        <button type="button" className="button primary" onClick={onImport} autoFocus>
          {t.import}
        </button>
      </div>
    </Dialog>
  );
}
