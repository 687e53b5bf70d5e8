import type { AppError } from '../../../../app/ipc/result';
import { useT } from '../../i18n/i18n';

const PLAIN = [
  'no-training-images',
  'too-few-classes',
  'invalid-model',
  'stored-path-invalid',
  'tensor-missing',
  'run-missing',
  'package-files-missing',
] as const;

/** A training package failure, worded per details.code. */
export function TrainingPackageError({ error }: { error: AppError }) {
  const t = useT();
  const te = t.trainingPackage.errors;
  const d = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as {
    code?: unknown;
    dir?: unknown;
  };
  const code = typeof d.code === 'string' ? d.code : null;
  const dir = typeof d.dir === 'string' ? d.dir : '';
  const text =
    code === 'dir-not-empty' || code === 'not-a-folder'
      ? te[code](dir)
      : code !== null && (PLAIN as readonly string[]).includes(code)
        ? te[code as (typeof PLAIN)[number]]
        : `${te.failed} ${t.errors[error.code]}.`;
  return (
    <div className="error-message training-package-error" role="alert" data-code={code ?? error.code}>
      {text}
    </div>
  );
}
