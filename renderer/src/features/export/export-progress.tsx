import { useT } from '../../i18n/i18n';
import type { ExportStage } from './use-model-export';

const STAGES: readonly ExportStage[] = ['writing', 'checking', 'done'];

/** The stages of a running export as a short checklist: done ones ticked, the current one busy. */
export function ExportProgressLine({ stage, running }: { stage: ExportStage | null; running: boolean }) {
  const t = useT();
  const current = STAGES.indexOf(stage ?? 'writing');
  return (
    <ol className="card export-progress" role="status" aria-live="polite" data-testid="export-progress">
      {STAGES.map((s, i) => {
        const state =
          i < current || (s === 'done' && stage === 'done')
            ? 'done'
            : i === current && running
              ? 'active'
              : 'todo';
        return (
          <li key={s} className={`export-stage ${state}`} data-stage={s} data-state={state}>
            <span className="export-stage-mark" aria-hidden="true">
              {state === 'done' ? '✓' : state === 'active' ? '…' : '·'}
            </span>
            {t.modelExport.stages[s]}
          </li>
        );
      })}
    </ol>
  );
}
