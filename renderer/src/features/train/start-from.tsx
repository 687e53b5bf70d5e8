import { useState } from 'react';
import type { InitSource } from '../../../../app/domain/training';
import { call } from '../../bridge/desktop';
import { useT } from '../../i18n/i18n';
import { useRuns } from '../evaluate/use-evaluation';
import { SelectField } from './settings-fields';
import type { SettingsController, SettingsDraft } from './use-training-settings';

/** Runs whose weights a new run can continue from (stopped runs keep their weights too). */
const HAS_WEIGHTS = new Set(['completed', 'stopped']);

/** The last part of a path, for display. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/**
 * Where the next run's weights start: fresh (random, from the seed), a finished run of this project, or a model
 * file (a `.cnnmodel` export). Continuing trains the source's network, so the network choice is then not used.
 */
export function StartFromField({
  projectId,
  settings,
  draft,
}: {
  projectId: string;
  settings: SettingsController;
  draft: SettingsDraft;
}) {
  const t = useT().training.settings;
  const { runs } = useRuns(projectId);
  const [picking, setPicking] = useState(false);
  const initFrom = draft.settings.initFrom ?? null;
  const finished = runs.filter((r) => HAS_WEIGHTS.has(r.status));
  const value = !initFrom ? 'fresh' : initFrom.kind === 'file' ? 'file' : `run:${initFrom.runId}`;
  const options = [
    { value: 'fresh', label: t.startFresh },
    ...finished.map((r) => ({ value: `run:${r.id}`, label: t.startFromRun(r.name) })),
    ...(initFrom?.kind === 'run' && !finished.some((r) => r.id === initFrom.runId)
      ? [{ value, label: t.startFromRun('?') }]
      : []),
    {
      value: 'file',
      label: initFrom?.kind === 'file' ? t.startFromFile(baseName(initFrom.file)) : t.startFromFilePick,
    },
  ];

  const set = (next: InitSource | null) => settings.update({ initFrom: next });
  const pickFile = async () => {
    setPicking(true);
    const picked = await call((api) => api.dialog.open({ kind: 'model', multiple: false }));
    setPicking(false);
    if (picked.ok && picked.value.paths[0]) set({ kind: 'file', file: picked.value.paths[0] });
  };
  const choose = (v: string) => {
    if (v === 'fresh') set(null);
    else if (v === 'file') void pickFile();
    else set({ kind: 'run', runId: v.slice('run:'.length) });
  };
  return (
    <>
      <SelectField
        wide
        label={t.startFrom}
        hint={initFrom ? t.startFromHintContinue : t.startFromHintFresh}
        value={value}
        options={options}
        disabled={picking}
        onChange={choose}
      />
      {initFrom?.kind === 'file' && (
        <p className="train-hint wide" data-testid="start-from-file">
          {initFrom.file}
        </p>
      )}
    </>
  );
}
