import { useState } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { ExportIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { evaluableRuns, isTraining, pickRun } from '../evaluate/evaluation-model';
import { useRuns } from '../evaluate/use-evaluation';
import type { SectionKey } from '../workspace/sections';
import { ExportError } from './export-error';
import { ExportForm, type ExportChoice } from './export-form';
import { ExportPreview } from './export-preview';
import { ExportProgressLine } from './export-progress';
import { ExportResult } from './export-result';
import { TrainingPackageCard } from './training-package-card';
import './training-package.css';
import './export.css';
import { useModelExport } from './use-model-export';

/**
 * The Export section: pick a run (the project's model by default), a format and an output folder, export; the
 * stages show while it runs (writing, checking), then the files written, the parity check against the app's own
 * predictions, the folder and how to use the model. Errors are worded per code (export-error.tsx). Below it, the
 * training package for PyTorch (training-package-card.tsx), offered even before a model is trained.
 */
export function ExportSection({
  project,
  onSection,
}: {
  project: ProjectSummary;
  onSection?(section: SectionKey): void;
}) {
  return <Export key={project.id} project={project} onSection={onSection} />;
}

function Export({ project, onSection }: { project: ProjectSummary; onSection?(section: SectionKey): void }) {
  const t = useT();
  const te = t.modelExport;
  const { runs, loaded, error: runsError } = useRuns(project.id);
  const [choice, setChoice] = useState<Omit<ExportChoice, 'runId'> & { runId: string | null }>({
    runId: null,
    format: 'onnx',
    dir: '',
  });
  const job = useModelExport(project.id);
  const run = pickRun(runs, choice.runId);

  if (!loaded) {
    return (
      <p className="hint export-loading" role="status">
        {t.app.loading}
      </p>
    );
  }
  if (!run) {
    return (
      <div className="export export-empty">
        {runsError && <ErrorMessage error={runsError} context={te.runsFailed} />}
        <EmptyState
          icon={<ExportIcon width={28} height={28} />}
          title={t.empty.export.title}
          actions={
            onSection && (
              <button type="button" className="button primary" onClick={() => onSection('train')}>
                {te.noModel.goTrain}
              </button>
            )
          }
        >
          {isTraining(runs) ? te.noModel.training : t.empty.export.body}
        </EmptyState>
        <TrainingPackageCard project={project} modelRun={null} />
      </div>
    );
  }

  const value: ExportChoice = { ...choice, runId: run.id };
  return (
    <div className="export" aria-busy={job.running}>
      <header className="export-header">
        <h2 className="section-title">{te.title}</h2>
        <p className="hint export-intro">{te.intro}</p>
      </header>
      {runsError && <ErrorMessage error={runsError} context={te.runsFailed} />}
      <div className="export-columns">
        <ExportForm
          runs={evaluableRuns(runs)}
          value={value}
          onChange={setChoice}
          running={job.running}
          onSubmit={() =>
            job.start({
              runId: run.isModel && choice.runId === null ? undefined : run.id,
              format: value.format,
              dir: value.dir.trim(),
            })
          }
        />
        <div className="export-side">
          {(job.running || job.stage) && !job.result && !job.error && (
            <ExportProgressLine stage={job.stage} running={job.running} />
          )}
          {job.error && <ExportError error={job.error} />}
          {!job.running && !job.result && <ExportPreview format={value.format} />}
          {job.result && (
            <ExportResult
              result={job.result}
              seconds={job.seconds}
              input={{ channels: project.color === 'rgb' ? 3 : 1, size: project.inputSize }}
            />
          )}
        </div>
      </div>
      <TrainingPackageCard project={project} modelRun={runs.find((r) => r.isModel) ?? null} />
    </div>
  );
}
