import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { TabPanel, Tabs } from '../../components/tabs';
import { useFormatDate, useT } from '../../i18n/i18n';
import { PredictRequestContext, type PredictRequest } from './drop-requests';
import { useOpenedModelFile } from './opened-model-files';
import { SECTIONS, type SectionKey } from './sections';
import { DropChoiceDialog, WindowDrop } from './window-drop';
import { ImportOutcome, isModelFile, ModelDropDialog, useModelImport } from '../train/import-model';
import { showTrainView } from '../train/train-section';

/** Sections that handle a window drop themselves (Dataset imports, Predict predicts). */
const OWN_DROP: readonly SectionKey[] = ['dataset', 'predict'];

/**
 * An open project: its header and the Dataset / Train / Evaluate / Predict / Export tabs. Files dropped on the
 * window in a section without a drop of its own bring up a question: predict them (switch to Predict, which runs
 * them) or import them (switch to Dataset and start the import its own drop would). One model file (.cnnmodel,
 * .model, .onnx) asks instead: import it as a run (then Train shows it in the runs list) or predict with it.
 */
export function ProjectWorkspace({
  project,
  section,
  onSection,
}: {
  project: ProjectSummary;
  section: SectionKey;
  onSection(section: SectionKey): void;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const current = SECTIONS.find((s) => s.key === section) ?? SECTIONS[0];
  const idPrefix = `project-${project.id}`;
  const projectId = project.id;

  const [dropped, setDropped] = useState<{ paths: string[]; at: number } | null>(null);
  const [predictRequest, setPredictRequest] = useState<PredictRequest | null>(null);
  /** A drop the user chose to import, waiting for the Dataset section to be shown. */
  const pendingImport = useRef<string[] | null>(null);
  const [importError, setImportError] = useState<AppError | null>(null);
  const nextId = useRef(1);
  const [droppedModel, setDroppedModel] = useState<string | null>(null);
  const modelImport = useModelImport(projectId);
  const onDropped = (paths: string[], at: number) => {
    if (paths.length === 1 && isModelFile(paths[0])) setDroppedModel(paths[0]);
    else setDropped({ paths, at });
  };
  const importDroppedModel = () => {
    if (!droppedModel) return;
    void modelImport.run(droppedModel);
    setDroppedModel(null);
    showTrainView(projectId, 'runs'); // where the imported run appears
    onSection('train');
  };
  const predictWithDroppedModel = () => {
    if (!droppedModel) return;
    setPredictRequest({ id: nextId.current++, paths: [], modelFile: droppedModel, at: performance.now() });
    setDroppedModel(null);
    onSection('predict');
  };

  const predictContext = useMemo(
    () => ({
      request: predictRequest,
      consume: (id: number) => setPredictRequest((r) => (r?.id === id ? null : r)),
    }),
    [predictRequest],
  );

  // The import starts once Dataset is shown: its import panel (a child, whose effects ran first) already listens.
  useEffect(() => {
    const paths = pendingImport.current;
    if (!paths || current.key !== 'dataset') return;
    pendingImport.current = null;
    void call((api) => api.dataset.import({ projectId, paths })).then((r) =>
      setImportError(r.ok ? null : r.error),
    );
  }, [current.key, projectId]);

  // A model file the OS opened with the app: predict with it in this project.
  const { file: openedFile, take: takeOpened } = useOpenedModelFile();
  const latestTake = useRef(takeOpened);
  useEffect(() => {
    latestTake.current = takeOpened;
  });
  useEffect(() => {
    if (!openedFile) return;
    latestTake.current();
    setPredictRequest({ id: nextId.current++, paths: [], modelFile: openedFile, at: performance.now() });
    onSection('predict');
  }, [openedFile, onSection]);

  const choosePredict = () => {
    if (!dropped) return;
    setPredictRequest({ id: nextId.current++, paths: dropped.paths, at: dropped.at });
    setDropped(null);
    onSection('predict');
  };
  const chooseImport = () => {
    if (!dropped) return;
    pendingImport.current = dropped.paths;
    setDropped(null);
    onSection('dataset');
  };

  return (
    <section className="page workspace" aria-labelledby="workspace-title">
      <header className="page-header">
        <h1 id="workspace-title" className="page-title">
          {project.name}
        </h1>
        <p className="page-subtitle">
          <span className="chip">
            {project.inputSize}×{project.inputSize}
          </span>
          <span className="chip">{t.projects.color[project.color]}</span>
          <span>{t.workspace.created(formatDate(project.createdAt))}</span>
        </p>
      </header>
      <Tabs
        items={SECTIONS.map((s) => ({ key: s.key, label: t.workspace.sections[s.key], icon: s.icon }))}
        selected={current.key}
        onSelect={onSection}
        label={t.workspace.sectionsLabel}
        idPrefix={idPrefix}
      />
      {importError && <ErrorMessage error={importError} context={t.predict.windowDrop.importFailed} />}
      <ImportOutcome outcome={modelImport.state} />
      <PredictRequestContext.Provider value={predictContext}>
        <TabPanel idPrefix={idPrefix} tab={current.key}>
          <current.Component project={project} onSection={onSection} />
        </TabPanel>
      </PredictRequestContext.Provider>
      {!OWN_DROP.includes(current.key) && <WindowDrop onDropped={onDropped} />}
      <ModelDropDialog
        file={droppedModel}
        onImport={importDroppedModel}
        onPredict={predictWithDroppedModel}
        onClose={() => setDroppedModel(null)}
      />
      <DropChoiceDialog
        count={dropped ? dropped.paths.length : null}
        onPredict={choosePredict}
        onImport={chooseImport}
        onClose={() => setDropped(null)}
      />
    </section>
  );
}
