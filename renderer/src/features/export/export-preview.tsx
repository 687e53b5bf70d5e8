import type { ModelExportFormat } from '../../../../app/domain/model-export';
import { useT } from '../../i18n/i18n';

/** The files each format writes (main/services/export/export-service.ts), in the order it writes them. */
const FILES: Record<ModelExportFormat, string[]> = {
  onnx: ['model.onnx', 'predict.py', 'predict.mjs', 'labels.txt', 'model-card.json', 'README.md'],
  tfjs: ['model.json', 'weights.bin', 'predict.mjs', 'labels.txt', 'model-card.json', 'README.md'],
  native: ['model.cnnmodel', 'labels.txt', 'model-card.json', 'README.md'],
};

/** Before an export: the files the chosen format writes and the check that follows. */
export function ExportPreview({ format }: { format: ModelExportFormat }) {
  const te = useT().modelExport;
  return (
    <section className="card export-preview" aria-labelledby="export-preview-heading">
      <h3 id="export-preview-heading" className="export-heading">
        {te.preview.heading(te.formats[format].name)}
      </h3>
      <ul className="export-files">
        {FILES[format].map((f) => (
          <li key={f}>
            <code>{f}</code>
          </li>
        ))}
      </ul>
      <p className="hint">{te.preview.check}</p>
      <p className="hint">{te.preview.folder}</p>
    </section>
  );
}
