import type { RunSummary } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from './use-evaluation';

/** The `<option>`s of a run menu (Evaluate, Predict, Export): the project's model first, with its accuracy. */
export function RunOptions({ runs }: { runs: RunSummary[] }) {
  const te = useT().evaluation;
  const { percent } = useNumberFormats();
  const ordered = [...runs].sort((a, b) => Number(b.isModel) - Number(a.isModel));
  return ordered.map((run) => {
    const name = run.isModel ? te.modelRun(run.name) : run.name;
    const accuracy = run.finalValAccuracy ?? run.bestValAccuracy;
    return (
      <option key={run.id} value={run.id}>
        {accuracy === null ? name : te.runAccuracy(name, percent(accuracy))}
      </option>
    );
  });
}
