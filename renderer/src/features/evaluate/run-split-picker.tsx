import type { EvalSplit, RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { RunOptions } from './run-options';

/** The order the split picker offers: the held-out splits first. */
const SPLIT_ORDER: readonly EvalSplit[] = ['val', 'test', 'train'];

/** Which run to evaluate (the project's model first) and on which split. */
export function RunSplitPicker({
  runs,
  runId,
  onRun,
  split,
  onSplit,
}: {
  runs: RunSummary[];
  runId: string;
  onRun(runId: string): void;
  split: EvalSplit;
  onSplit(split: EvalSplit): void;
}) {
  const t = useT();
  const te = t.evaluation;
  return (
    <div className="eval-pickers">
      <label className="eval-field">
        <span className="eval-field-label">{te.runLabel}</span>
        <select className="select" value={runId} onChange={(e) => onRun(e.target.value)}>
          <RunOptions runs={runs} />
        </select>
      </label>
      <fieldset className="eval-segments">
        <legend className="eval-field-label">{te.splitLabel}</legend>
        {SPLIT_ORDER.map((s) => (
          <label key={s} className={`eval-segment${s === split ? ' checked' : ''}`}>
            <input
              type="radio"
              name="eval-split"
              value={s}
              checked={s === split}
              onChange={() => onSplit(s)}
            />
            <span>{te.splits[s]}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
