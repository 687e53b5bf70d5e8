import type { AppError } from '../../../../app/ipc/result';
import { useT } from '../../i18n/i18n';

/** The details main attaches to an export failure: a code the renderer words, and the folder when it matters. */
function detailsOf(error: AppError): { code: string | null; dir: string } {
  const d = error.details;
  if (typeof d !== 'object' || d === null) return { code: null, dir: '' };
  const { code, dir } = d as { code?: unknown; dir?: unknown };
  return { code: typeof code === 'string' ? code : null, dir: typeof dir === 'string' ? dir : '' };
}

/** An export failure, worded per details.code (no model, folder not empty, not a folder, check failed). */
export function ExportError({ error }: { error: AppError }) {
  const t = useT();
  const te = t.modelExport.errors;
  const { code, dir } = detailsOf(error);
  let text: string;
  switch (code) {
    case 'no-model':
      text = te['no-model'];
      break;
    case 'dir-not-empty':
      text = te['dir-not-empty'](dir);
      break;
    case 'not-a-folder':
      text = te['not-a-folder'](dir);
      break;
    case 'check-failed':
      text = te['check-failed'];
      break;
    default:
      text = `${te.failed} ${t.errors[error.code]}.`;
  }
  return (
    <div className="error-message export-error" role="alert" data-code={code ?? error.code}>
      {text}
    </div>
  );
}
