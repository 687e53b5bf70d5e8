import { useId, useState } from 'react';
import { MODEL_PRESETS, type ModelPresetName } from '../../../../app/domain/model-description';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { RunSummary } from '../../../../app/domain/training';
import { useLocale, useT } from '../../i18n/i18n';
import { OutputFolderField } from './output-folder-field';
import { TrainingPackageError } from './training-package-error';
import { TrainingPackageResultView } from './training-package-result';
import { useTrainingPackage, type TrainingPackageSourceChoice } from './use-training-package';

type SourceKind = TrainingPackageSourceChoice['kind'];

/**
 * The training package (issue 15): what it trains (the project's model run when there is one, the current training
 * settings, or a preset), the output folder, then the copy's progress and the result with the commands to run.
 */
export function TrainingPackageCard({
  project,
  modelRun,
}: {
  project: ProjectSummary;
  modelRun: RunSummary | null;
}) {
  const t = useT();
  const tp = t.trainingPackage;
  const { locale } = useLocale();
  const job = useTrainingPackage(project.id);
  const [kind, setKind] = useState<SourceKind>(modelRun ? 'run' : 'settings');
  const [preset, setPreset] = useState<ModelPresetName>('small');
  const [dir, setDir] = useState('');
  const headingId = useId();
  const presetId = useId();
  const source: SourceKind = kind === 'run' && !modelRun ? 'settings' : kind;
  const kinds: SourceKind[] = modelRun ? ['run', 'settings', 'preset'] : ['settings', 'preset'];
  const n = (x: number) => x.toLocaleString(locale);

  const submit = () => {
    const chosen: TrainingPackageSourceChoice =
      source === 'run' && modelRun
        ? { kind: 'run', runId: modelRun.id }
        : source === 'preset'
          ? { kind: 'preset', preset }
          : { kind: 'settings' };
    job.start({ source: chosen, dir: dir.trim() });
  };

  const p = job.progress;
  return (
    <section className="card training-package" aria-labelledby={headingId} data-testid="training-package">
      <header className="export-header">
        <h3 id={headingId} className="export-heading">
          {tp.title}
        </h3>
        <p className="hint">{tp.intro}</p>
      </header>
      <div className="export-columns">
        <form
          className="export-form form"
          aria-label={tp.title}
          onSubmit={(e) => {
            e.preventDefault();
            if (!job.running && dir.trim()) submit();
          }}
        >
          <fieldset className="field export-formats" disabled={job.running}>
            <legend>{tp.sourceLabel}</legend>
            {kinds.map((k) => (
              <label key={k} className="choice">
                <input
                  type="radio"
                  name="training-package-source"
                  value={k}
                  checked={source === k}
                  onChange={() => setKind(k)}
                />
                <span className="choice-text">
                  <span className="choice-title">
                    {k === 'run' && modelRun
                      ? tp.sources.run(modelRun.name)
                      : k === 'preset'
                        ? tp.sources.preset
                        : tp.sources.settings}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          {source === 'preset' && (
            <div className="field">
              <label className="export-label" htmlFor={presetId}>
                {tp.presetLabel}
              </label>
              <select
                id={presetId}
                className="select"
                value={preset}
                disabled={job.running}
                onChange={(e) => setPreset(e.target.value as ModelPresetName)}
              >
                {MODEL_PRESETS.map((name) => (
                  <option key={name} value={name}>
                    {t.network.presets[name].title}
                  </option>
                ))}
              </select>
            </div>
          )}
          <OutputFolderField value={dir} disabled={job.running} onChange={setDir} />
          <div className="training-package-actions">
            <button type="submit" className="button primary" disabled={job.running || !dir.trim()}>
              {tp.submit}
            </button>
          </div>
        </form>
        <div className="export-side">
          {(job.running || p) && !job.result && !job.error && (
            <div
              className="training-package-progress"
              role="status"
              aria-live="polite"
              data-testid="training-package-progress"
            >
              <p>
                {!p
                  ? tp.progress.starting
                  : p.stage === 'dataset'
                    ? tp.progress.dataset(n(p.done), n(p.total))
                    : tp.progress[p.stage]}
              </p>
              <progress max={Math.max(1, p?.total ?? 1)} value={p?.done ?? 0} />
            </div>
          )}
          {job.error && <TrainingPackageError error={job.error} />}
          {job.result && <TrainingPackageResultView result={job.result} projectName={project.name} />}
        </div>
      </div>
    </section>
  );
}
