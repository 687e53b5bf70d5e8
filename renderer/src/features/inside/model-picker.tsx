import type { RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { RunOptions } from '../evaluate/run-options';

/** The menu value of the live view of the running run. */
export const LIVE = 'live';

/** Which weights to look at: the project's model first, its other finished runs, and the running run live. */
export function ModelPicker({
  runs,
  liveRun,
  value,
  onChange,
}: {
  runs: RunSummary[];
  liveRun: RunSummary | null;
  value: string | null;
  onChange(value: string): void;
}) {
  const t = useT().inside;
  return (
    <label className="inside-field">
      <span className="inside-field-label">{t.runLabel}</span>
      <select
        className="select"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        data-testid="inside-model"
      >
        {value === null && <option value="" />}
        <RunOptions runs={runs} />
        {liveRun && <option value={LIVE}>{t.live(liveRun.name)}</option>}
      </select>
    </label>
  );
}
