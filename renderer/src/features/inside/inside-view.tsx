import { useCallback, useState, type DragEvent } from 'react';
import type { InspectModel } from '../../../../app/domain/inspect';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { ChartIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { pathsForDrop } from '../dataset/drop';
import { evaluableRuns, isTraining, pickRun } from '../evaluate/evaluation-model';
import { useRuns } from '../evaluate/use-evaluation';
import { toBase64 } from '../predict/predict-model';
import { usePastedImage } from '../predict/use-paste';
import { ImagePicker } from './image-picker';
import { InsideSections } from './inside-sections';
import { ModelPicker, LIVE } from './model-picker';
import './inside.css';
import { useInspection, useRunNetwork, type InsideSource } from './use-inspection';

type Notice = { text: string } | { context: string; error: AppError };

/** Stops a drag over the view from reaching the window (the workspace's "predict or import?" drop). */
function own(event: DragEvent) {
  if (!Array.from(event.dataTransfer?.types ?? []).includes('Files')) return false;
  event.preventDefault();
  event.stopPropagation();
  return true;
}

/**
 * Train → Look inside: pick a model (a finished run, or the running one live) and an image (from the project,
 * dropped on the view or pasted); see its filters, the feature maps of every layer, the classifier, parameter
 * sharing and Grad-CAM, and the experiments below.
 */
export function InsideView({ projectId, onGoSettings }: { projectId: string; onGoSettings(): void }) {
  const t = useT();
  const ti = t.inside;
  const { runs, loaded } = useRuns(projectId);
  const [chosen, setChosen] = useState<string | null>(null);
  const [source, setSourceState] = useState<InsideSource | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const liveRun = runs.find((r) => r.status === 'running' || r.status === 'paused') ?? null;
  const run = pickRun(runs, chosen === LIVE ? null : chosen);
  const live = chosen === LIVE && liveRun !== null;
  const runId = live ? liveRun.id : (run?.id ?? null);
  const model: InspectModel | null = runId ? (live ? { runId, live: true } : { runId }) : null;
  const setSource = useCallback((next: InsideSource) => {
    setSourceState(next);
    setLabel(null);
    setNotice(null);
  }, []);
  const inspection = useInspection(projectId, model, source, label);
  const network = useRunNetwork(projectId, runId);

  const [dragging, setDragging] = useState(false);
  const drop = (event: DragEvent) => {
    if (!own(event)) return;
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    void pathsForDrop(files).then((paths) =>
      paths[0]
        ? setSource({ kind: 'file', file: paths[0], name: paths[0].split(/[\\/]/).pop() ?? paths[0] })
        : setNotice({ text: ti.picker.noPaths }),
    );
  };
  usePastedImage(
    (file) => {
      if (!model) return;
      void file
        .arrayBuffer()
        .then((buffer) =>
          call((api) => api.prediction.savePasted({ projectId, base64: toBase64(new Uint8Array(buffer)) })),
        )
        .then((r) =>
          r.ok
            ? setSource({ kind: 'file', file: r.value.file, name: ti.picker.pasted, pasted: true })
            : setNotice({ context: ti.picker.pasteFailed, error: r.error }),
        );
    },
    () => setNotice({ text: ti.picker.notImage }),
  );

  if (!loaded) {
    return (
      <p className="inside-muted" role="status">
        {t.app.loading}
      </p>
    );
  }
  if (!model) {
    return (
      <div className="inside inside-empty">
        <EmptyState
          icon={<ChartIcon width={28} height={28} />}
          title={ti.noModel.title}
          actions={
            liveRun ? (
              <button type="button" className="button primary" onClick={() => setChosen(LIVE)}>
                {ti.live(liveRun.name)}
              </button>
            ) : (
              <button type="button" className="button primary" onClick={onGoSettings}>
                {ti.noModel.goSettings}
              </button>
            )
          }
        >
          {isTraining(runs) ? ti.noModel.training : ti.noModel.body}
        </EmptyState>
      </div>
    );
  }

  const value = inspection.value;
  return (
    <div
      className={`inside${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => own(e) && setDragging(true)}
      onDragOver={(e) => {
        if (own(e)) e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (own(e) && !e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={drop}
    >
      <header className="inside-header">
        <div className="inside-heading-block">
          <h3 className="inside-title">{ti.title}</h3>
          <p className="inside-muted">{ti.intro}</p>
        </div>
        <ModelPicker
          runs={evaluableRuns(runs)}
          liveRun={liveRun}
          value={live ? LIVE : runId}
          onChange={(id) => {
            setChosen(id);
            setLabel(null);
          }}
        />
      </header>
      <ImagePicker projectId={projectId} source={source} onPick={setSource} />
      {live && (
        <p className="inside-note" role="status" data-testid="inside-live">
          {value?.epoch ? ti.liveEpoch(value.epoch) : ti.liveStarting}
        </p>
      )}
      {notice && 'text' in notice && (
        <p className="inside-note" role="status">
          {notice.text}
        </p>
      )}
      {notice && 'error' in notice && <ErrorMessage error={notice.error} context={notice.context} />}
      {inspection.error && <ErrorMessage error={inspection.error} context={ti.failed} />}
      {!value && inspection.loading && (
        <p className="inside-muted" role="status">
          {ti.loading}
        </p>
      )}
      {value && source && (
        <InsideSections
          projectId={projectId}
          model={model}
          source={source}
          inspection={value}
          loading={inspection.loading}
          network={network}
          onLabel={setLabel}
        />
      )}
    </div>
  );
}
