import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { TargetIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { pathsForDrop, useWindowDrop } from '../dataset/drop';
import { useDatasetMeta } from '../dataset/use-dataset';
import { evaluableRuns, isTraining, pickRun } from '../evaluate/evaluation-model';
import { useRuns } from '../evaluate/use-evaluation';
import { usePredictRequest, type PredictRequest } from '../workspace/drop-requests';
import type { SectionKey } from '../workspace/sections';
import { BatchPanel, FailedList } from './batch-panel';
import { DropZone } from './drop-zone';
import { PredictPickers } from './predict-pickers';
import './predict.css';
import { showsCards, toBase64, type PredictedItem } from './predict-model';
import { PredictionCards } from './prediction-cards';
import { OverlayControls, type OverlaySettings } from './prediction-visual';
import { ResultsTable } from './results-table';
import { useExplanations } from './use-explanations';
import { useFeedback } from './use-feedback';
import { usePastedImage } from './use-paste';
import { usePrediction } from './use-prediction';
import { ModelFileStatus } from './model-file-status';
import { useModelInfo, type PredictWith } from './model-choice';

/**
 * The Predict section: drop images or a folder (or choose them, or paste an image) and see what the project's
 * model (or another run) thinks. A few images get a card each with the top-k bars and the Grad-CAM overlay; a
 * folder or many files get a progress bar and a sortable, virtualised results table with CSV export and "copy
 * into folders by predicted label". Right/wrong feedback adds an image to the dataset.
 */
export function PredictSection({
  project,
  onSection,
}: {
  project: ProjectSummary;
  onSection?(section: SectionKey): void;
}) {
  return <Predict key={project.id} projectId={project.id} onSection={onSection} />;
}

type Notice = { text: string } | { context: string; error: AppError };

function Predict({ projectId, onSection }: { projectId: string; onSection?(section: SectionKey): void }) {
  const t = useT();
  const tp = t.predict;
  const { runs, loaded, error: runsError } = useRuns(projectId);
  const [chosen, setChosen] = useState<string | null>(null);
  const [modelFile, setModelFile] = useState<string | null>(null);
  const [topK, setTopK] = useState(5);
  const run = pickRun(runs, chosen);
  const runId = run?.id ?? null;
  const choice = useMemo<PredictWith | null>(
    () => (modelFile ? { modelFile } : runId ? { runId } : null),
    [modelFile, runId],
  );
  const model = useModelInfo(projectId, choice);
  const prediction = usePrediction(projectId, choice, topK);
  const explanations = useExplanations(projectId, choice, topK);
  const feedback = useFeedback(projectId);
  const { labels } = useDatasetMeta(projectId);
  const [overlay, setOverlay] = useState<OverlaySettings>({ on: true, opacity: 0.55 });
  const [notice, setNotice] = useState<Notice | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const { batch } = prediction;
  const cards = !!batch && showsCards(batch.total);

  const predict = (paths: string[], at?: number) => {
    if (!choice) return;
    explanations.reset();
    feedback.reset();
    setNotice(null);
    void prediction.start(paths, at);
  };

  const dragging = useWindowDrop((files, at) => {
    if (!choice) return;
    void pathsForDrop(files).then((paths) =>
      paths.length > 0 ? predict(paths, at) : setNotice({ text: tp.drop.noPaths }),
    );
  });

  usePastedImage(
    (file) => {
      if (!choice) return;
      const at = performance.now();
      void file
        .arrayBuffer()
        .then((buffer) =>
          call((api) => api.prediction.savePasted({ projectId, base64: toBase64(new Uint8Array(buffer)) })),
        )
        .then((r) =>
          r.ok ? predict([r.value.file], at) : setNotice({ context: tp.paste.failed, error: r.error }),
        );
    },
    () => setNotice({ text: tp.paste.notImage }),
  );

  const openModelFile = async () => {
    const r = await call((api) => api.dialog.open({ kind: 'model', multiple: false }));
    if (!r.ok) return setNotice({ context: tp.pickers.failed, error: r.error });
    if (r.value.paths[0]) setModelFile(r.value.paths[0]);
  };
  const chooseRun = (id: string) => {
    setModelFile(null);
    setChosen(id);
  };

  const choose = async (kind: 'images' | 'folder') => {
    const r = await call((api) => api.dialog.open({ kind, multiple: kind === 'images' }));
    if (!r.ok) return setNotice({ context: tp.pickers.failed, error: r.error });
    if (r.value.paths.length > 0) predict(r.value.paths);
  };

  // A window drop in another section the user chose to predict, or a model file the OS opened with the app.
  const { request, consume } = usePredictRequest();
  const handleRequest = (r: PredictRequest) => {
    if (r.modelFile) setModelFile(r.modelFile);
    else if (choice) predict(r.paths, r.at);
  };
  const latestHandle = useRef(handleRequest);
  useEffect(() => {
    latestHandle.current = handleRequest;
  });
  useEffect(() => {
    if (!request || !loaded) return;
    consume(request.id); // without a model it is dropped (the empty state says why), not kept for later
    latestHandle.current(request);
  }, [request, loaded, consume]);

  // Cards: each predicted image's Grad-CAM is asked for as soon as its bars are in.
  const requested = useRef(new Set<string>());
  useEffect(() => {
    requested.current = new Set();
  }, [batch?.startedAt]);
  const { explain } = explanations;
  useEffect(() => {
    if (!batch || !cards) return;
    for (const item of batch.items) {
      if (!item.ok || requested.current.has(item.file)) continue;
      requested.current.add(item.file);
      explain(item.file);
    }
  }, [batch, cards, explain]);

  // Drop → bars: measured once per batch when the first bars are in the DOM (read by the e2e test).
  const measured = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (!batch || measured.current === batch.startedAt || !batch.items.some((i) => i.ok)) return;
    measured.current = batch.startedAt;
    const end = performance.now();
    rootRef.current?.setAttribute('data-drop-to-bars-ms', (end - batch.startedAt).toFixed(1));
    performance.measure('predict:drop-to-bars', { start: batch.startedAt, end });
  }, [batch]);

  const predicted = useMemo(() => batch?.items.filter((i): i is PredictedItem => i.ok) ?? [], [batch?.items]);

  if (!loaded) {
    return (
      <p className="pred-muted predict-loading" role="status">
        {t.app.loading}
      </p>
    );
  }
  if (!choice) {
    return (
      <div className="predict predict-empty">
        {runsError && <ErrorMessage error={runsError} context={t.evaluation.runsFailed} />}
        <EmptyState
          icon={<TargetIcon width={28} height={28} />}
          title={tp.noModel.title}
          actions={
            <>
              {onSection && (
                <button type="button" className="button primary" onClick={() => onSection('train')}>
                  {tp.noModel.goTrain}
                </button>
              )}
              <button type="button" className="button" onClick={() => void openModelFile()}>
                {tp.openModelFile}
              </button>
            </>
          }
        >
          {isTraining(runs) ? tp.noModel.training : tp.noModel.body}
        </EmptyState>
      </div>
    );
  }

  const actions = {
    explanations: explanations.byFile,
    feedback: feedback.byFile,
    labels,
    overlay,
    onExplain: (file: string, label: string) => explain(file, label),
    onFeedback: feedback.send,
  };
  return (
    <div className="predict" ref={rootRef}>
      <header className="predict-header">
        <div className="predict-heading-block">
          <h2 className="section-title">{tp.title}</h2>
          <p className="pred-muted">{tp.intro}</p>
        </div>
        <PredictPickers
          runs={evaluableRuns(runs)}
          choice={choice}
          onRun={chooseRun}
          onOpenModelFile={() => void openModelFile()}
          topK={topK}
          onTopK={setTopK}
        />
      </header>
      <ModelFileStatus choice={choice} model={model} />
      <DropZone
        dragging={dragging}
        compact={!!batch}
        onChooseImages={() => void choose('images')}
        onChooseFolder={() => void choose('folder')}
      />
      {notice && 'text' in notice && (
        <p className="pred-note" role="status">
          {notice.text}
        </p>
      )}
      {notice && 'error' in notice && <ErrorMessage error={notice.error} context={notice.context} />}
      {batch?.error && <ErrorMessage error={batch.error} context={tp.startFailed} />}
      {batch && !batch.error && (
        <>
          <div className="pred-results-bar">
            <BatchPanel batch={batch} onCancel={prediction.cancel} />
            <span className="pred-results-buttons">
              {!prediction.running && (
                <button type="button" className="button small" onClick={() => predict(batch.paths)}>
                  {tp.again}
                </button>
              )}
              <button type="button" className="button small" onClick={prediction.clear}>
                {tp.clear}
              </button>
            </span>
          </div>
          {cards && <OverlayControls overlay={overlay} onChange={setOverlay} />}
          {cards && <PredictionCards items={batch.items} actions={actions} />}
          {!cards && batch.total > 0 && (
            <ResultsTable
              items={predicted}
              labels={labels}
              feedback={feedback.byFile}
              onFeedback={feedback.send}
            />
          )}
          {!cards && <FailedList batch={batch} />}
        </>
      )}
    </div>
  );
}
