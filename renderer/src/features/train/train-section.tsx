import { useEffect, useState } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import { TabPanel, Tabs } from '../../components/tabs';
import { useT } from '../../i18n/i18n';
import { InsideView } from '../inside/inside-view';
import { KernelsNote } from '../kernels/kernels-note';
import { NetworkExplorer } from './network-explorer';
import './network.css';
import { RunList } from './run-list';
import { TrainingControls } from './training-controls';
import { TrainingDashboard } from './training-dashboard';
import { TrainingSettingsView } from './training-settings';
import './training.css';
import { useTraining } from './use-training';
import { useTrainingSettings } from './use-training-settings';

export type TrainView = 'settings' | 'progress' | 'runs' | 'network' | 'inside';
type View = TrainView;
const VIEWS: readonly View[] = ['settings', 'progress', 'runs', 'network', 'inside'];

/** The view each project showed last in this window. */
const lastView = new Map<string, View>();
const viewRequests = new Set<(projectId: string, view: View) => void>();

/** Shows a view of a project's Train section (the runs after a model import): now if shown, else when it opens. */
export function showTrainView(projectId: string, view: View): void {
  lastView.set(projectId, view);
  for (const listener of viewRequests) listener(projectId, view);
}

/**
 * The Train section: the controls (Train, Pause, Resume, Stop and what is happening) above four views: the
 * settings of the next run, the progress of the current one, every run (rename, delete, use as model, compare)
 * and the network explorer.
 */
export function TrainSection({ project }: { project: ProjectSummary }) {
  return <Training key={project.id} projectId={project.id} />;
}

function Training({ projectId }: { projectId: string }) {
  const all = useT();
  const t = all.training;
  const training = useTraining(projectId);
  const settings = useTrainingSettings(projectId);
  const [view, setViewState] = useState<View | null>(() => lastView.get(projectId) ?? null);
  const [viewRunId, setViewRunId] = useState<string | null>(null);
  const setView = (next: View) => {
    lastView.set(projectId, next);
    setViewState(next);
  };
  useEffect(() => {
    const listener = (id: string, next: View) => {
      if (id === projectId) setViewState(next);
    };
    viewRequests.add(listener);
    return () => void viewRequests.delete(listener);
  }, [projectId]);
  // First visit: the progress of a run already under way, else the settings.
  const shown: View = view ?? (training.state?.active ? 'progress' : 'settings');

  const { defaults, draft } = settings;
  const tooFew = !!defaults && defaults.classNames.length < 2;
  const blockedReason =
    !defaults || !draft
      ? null
      : tooFew
        ? t.classes.tooFew
        : settings.invalid.size > 0 ||
            (draft.kind === 'custom' && (draft.layers.length === 0 || settings.problem !== null))
          ? t.controls.fixSettings
          : null;

  const train = async () => {
    const ready = settings.ready;
    if (!ready || !draft) return;
    const r = await training.start(ready, draft.name.trim() || undefined);
    if (r.ok) {
      settings.setName('');
      setViewRunId(r.value.id);
      setView('progress');
    }
  };

  const idPrefix = `train-${projectId}`;
  return (
    <div className="training">
      <header className="training-header">
        <div className="training-heading">
          <h2 className="section-title">{t.title}</h2>
          <p className="training-intro">{t.intro}</p>
          <KernelsNote />
        </div>
        <TrainingControls
          training={training}
          canTrain={settings.ready !== null}
          blockedReason={blockedReason}
          onTrain={() => void train()}
        />
      </header>
      <div className="training-tabs">
        <Tabs
          items={VIEWS.map((key) => ({ key, label: key === 'inside' ? all.inside.tab : t.views[key] }))}
          selected={shown}
          onSelect={setView}
          label={t.views.label}
          idPrefix={idPrefix}
        />
      </div>
      <TabPanel idPrefix={idPrefix} tab={shown}>
        {shown === 'settings' && (
          <TrainingSettingsView
            projectId={projectId}
            settings={settings}
            dataVersion={settings.dataVersion}
            onShowNetwork={() => setView('network')}
          />
        )}
        {shown === 'progress' && (
          <TrainingDashboard
            projectId={projectId}
            training={training}
            viewRunId={viewRunId}
            onViewRun={setViewRunId}
          />
        )}
        {shown === 'runs' && (
          <RunList
            projectId={projectId}
            training={training}
            onViewRun={(runId) => {
              setViewRunId(runId);
              setView('progress');
            }}
          />
        )}
        {shown === 'network' && (
          <NetworkExplorer
            projectId={projectId}
            trainingPreset={draft?.kind === 'preset' ? draft.preset : null}
            onUse={(preset) => {
              settings.choosePreset(preset);
              setView('settings');
            }}
          />
        )}
        {shown === 'inside' && <InsideView projectId={projectId} onGoSettings={() => setView('settings')} />}
      </TabPanel>
    </div>
  );
}
