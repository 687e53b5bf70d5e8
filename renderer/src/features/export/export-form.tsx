import { MODEL_EXPORT_FORMATS, type ModelExportFormat } from '../../../../app/domain/model-export';
import type { RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { RunOptions } from '../evaluate/run-options';
import { OutputFolderField } from './output-folder-field';

export interface ExportChoice {
  runId: string;
  format: ModelExportFormat;
  dir: string;
}

/**
 * What to export: the run (the project's model first), the format (each with a line on what it is for) and the
 * output folder (typed, or picked with the OS folder dialog), and the Export button.
 */
export function ExportForm({
  runs,
  value,
  onChange,
  running,
  onSubmit,
}: {
  runs: RunSummary[];
  value: ExportChoice;
  onChange(next: ExportChoice): void;
  running: boolean;
  onSubmit(): void;
}) {
  const t = useT();
  const te = t.modelExport;
  return (
    <form
      className="card export-form form"
      aria-label={te.title}
      onSubmit={(e) => {
        e.preventDefault();
        if (!running && value.dir.trim()) onSubmit();
      }}
    >
      <label className="field">
        <span className="export-label">{te.runLabel}</span>
        <select
          className="select"
          value={value.runId}
          disabled={running}
          onChange={(e) => onChange({ ...value, runId: e.target.value })}
        >
          <RunOptions runs={runs} />
        </select>
      </label>

      <fieldset className="field export-formats" disabled={running}>
        <legend>{te.formatLabel}</legend>
        {MODEL_EXPORT_FORMATS.map((format) => (
          <label key={format} className="choice">
            <input
              type="radio"
              name="export-format"
              value={format}
              checked={value.format === format}
              onChange={() => onChange({ ...value, format })}
            />
            <span className="choice-text">
              <span className="choice-title">{te.formats[format].name}</span>
              <span className="hint">{te.formats[format].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <OutputFolderField
        value={value.dir}
        disabled={running}
        onChange={(dir) => onChange({ ...value, dir })}
      />

      <div className="export-actions">
        <button type="submit" className="button primary" disabled={running || !value.dir.trim()}>
          {te.submit}
        </button>
      </div>
    </form>
  );
}
