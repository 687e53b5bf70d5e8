import type { RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { fileName, type PredictWith } from './model-choice';
import { TOP_K_CHOICES } from './predict-model';
import { RunOptions } from '../evaluate/run-options';

const OPEN_FILE = 'open-file';
const FILE = 'file';

/**
 * Which model predicts (the project's model first, its other runs, or a model file the user opens) and how many
 * classes each image shows.
 */
export function PredictPickers({
  runs,
  choice,
  onRun,
  onOpenModelFile,
  topK,
  onTopK,
}: {
  runs: RunSummary[];
  choice: PredictWith;
  onRun(runId: string): void;
  onOpenModelFile(): void;
  topK: number;
  onTopK(k: number): void;
}) {
  const t = useT();
  return (
    <div className="pred-pickers">
      <label className="pred-field">
        <span className="pred-field-label">{t.predict.runLabel}</span>
        <select
          className="select"
          value={'modelFile' in choice ? FILE : choice.runId}
          onChange={(e) => (e.target.value === OPEN_FILE ? onOpenModelFile() : onRun(e.target.value))}
        >
          <RunOptions runs={runs} />
          {'modelFile' in choice && (
            <option value={FILE}>{t.predict.modelFile(fileName(choice.modelFile))}</option>
          )}
          <option value={OPEN_FILE}>{t.predict.openModelFile}</option>
        </select>
      </label>
      <label className="pred-field">
        <span className="pred-field-label">{t.predict.topKLabel}</span>
        <select className="select" value={topK} onChange={(e) => onTopK(Number(e.target.value))}>
          {TOP_K_CHOICES.map((k) => (
            <option key={k} value={k}>
              {t.predict.topK(k)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
