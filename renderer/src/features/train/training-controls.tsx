import { useId } from 'react';
import {
  TRAINING_FAILURES,
  type RunSummary,
  type TrainingFailureCode,
} from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { PauseIcon, PlayIcon, StopIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { wordError } from '../dataset/wording/app-errors';
import type { TrainingMessages } from '../../i18n/training-en';
import { useTrainingFormat } from './training-format';
import type { TrainingController } from './use-training';

/** The failure code main puts in an error's details (`{ code }`), if it is one. */
function failureCodeOf(error: AppError): TrainingFailureCode | null {
  const code = (error.details as { code?: unknown } | undefined)?.code;
  return (TRAINING_FAILURES as readonly unknown[]).includes(code) ? (code as TrainingFailureCode) : null;
}

/** What the status line says about the active run. */
function activeText(
  t: TrainingMessages['controls'],
  run: RunSummary,
  queuePosition: number,
  epoch: number | null,
) {
  switch (run.status) {
    case 'queued':
      return queuePosition <= 1 ? t.queuedNext(run.name) : t.queued(run.name, queuePosition);
    case 'paused':
      return t.paused(run.name);
    default:
      return epoch === null ? t.starting(run.name) : t.running(run.name, epoch, run.epochsPlanned);
  }
}

/**
 * Train, Pause, Resume and Stop, with one line on what is happening: the running epoch, a queued run's place in
 * line, a paused run, or how the last run ended (an interrupted one offers Resume; a failed one says why).
 */
export function TrainingControls({
  training,
  canTrain,
  blockedReason,
  onTrain,
}: {
  training: TrainingController;
  /** The settings are valid and there are at least two classes. */
  canTrain: boolean;
  /** Why Train is disabled, when it is. */
  blockedReason: string | null;
  onTrain(): void;
}) {
  const messages = useT();
  const t = messages.training.controls;
  const f = useTrainingFormat();
  const { state, busy, error, runs, lastStatus } = training;
  const active = state?.active ?? null;
  const epoch = active && state?.progress?.runId === active.id ? state.progress.epoch : null;
  const liveEpoch =
    active && training.live?.runId === active.id ? (training.live.progress?.epoch ?? epoch) : epoch;
  const latest = runs[0];

  let notice: { text: string; tone: 'info' | 'warning' | 'danger' | 'success'; detail?: string } | null =
    null;
  let resumeRun: RunSummary | null = null;
  if (!active && latest) {
    const justNow = lastStatus?.runId === latest.id;
    if (latest.status === 'interrupted') {
      if (latest.resumable) {
        resumeRun = latest;
        notice = {
          tone: 'warning',
          text: latest.checkpointEpoch
            ? t.interrupted(latest.name, latest.checkpointEpoch)
            : t.interruptedMidEpoch(latest.name),
        };
      } else notice = { tone: 'warning', text: t.interruptedLost(latest.name) };
    } else if (latest.status === 'failed') {
      const why = latest.failure ? messages.training.failures[latest.failure.code] : '';
      notice = { tone: 'danger', text: `${t.failed(latest.name)} ${why}`, detail: latest.failure?.detail };
    } else if (justNow && latest.status === 'completed') {
      notice = {
        tone: 'success',
        text:
          latest.finalValAccuracy !== null
            ? t.completed(latest.name, f.percent(latest.finalValAccuracy))
            : t.completedNoVal(latest.name),
      };
      if (lastStatus?.earlyStopped && latest.bestEpoch !== null)
        notice.text += ` ${t.earlyStopped(latest.bestEpoch)}`;
    } else if (justNow && latest.status === 'stopped') {
      notice = { tone: 'info', text: t.stopped(latest.name) };
    }
  }

  const code = error ? failureCodeOf(error) : null;
  const blockedId = useId();
  return (
    <div className="train-controls" role="group" aria-label={t.label}>
      <div className="train-buttons">
        {!active && (
          <button
            type="button"
            className="button primary"
            data-action="train"
            disabled={!canTrain || busy || !state}
            onClick={onTrain}
            aria-describedby={blockedReason ? blockedId : undefined}
          >
            <PlayIcon width={14} height={14} />
            {t.train}
          </button>
        )}
        {resumeRun && (
          <button
            type="button"
            className="button"
            data-action="resume"
            disabled={busy}
            onClick={() => resumeRun && void training.resume(resumeRun.id)}
          >
            <PlayIcon width={14} height={14} />
            {t.resume}
          </button>
        )}
        {active?.status === 'running' && (
          <button
            type="button"
            className="button"
            data-action="pause"
            disabled={busy}
            onClick={() => void training.pause()}
          >
            <PauseIcon width={14} height={14} />
            {t.pause}
          </button>
        )}
        {active?.status === 'paused' && (
          <button
            type="button"
            className="button primary"
            data-action="resume"
            disabled={busy}
            onClick={() => void training.resume(active.id)}
          >
            <PlayIcon width={14} height={14} />
            {t.resume}
          </button>
        )}
        {active && (
          <button
            type="button"
            className="button"
            data-action="stop"
            disabled={busy}
            onClick={() => void training.stop()}
          >
            <StopIcon width={14} height={14} />
            {t.stop}
          </button>
        )}
      </div>
      <div className="train-status-line" role="status" aria-live="polite" data-testid="training-status">
        {active ? (
          <>
            <span className={`status-pill ${active.status}`}>{messages.training.status[active.status]}</span>
            <span>{activeText(t, active, state?.queuePosition ?? 0, liveEpoch)}</span>
          </>
        ) : busy ? (
          <span>{t.working}</span>
        ) : notice ? (
          <span className={`train-notice ${notice.tone}`}>
            {notice.text}
            {notice.detail && (
              <details className="train-notice-detail">
                <summary>{t.detail}</summary>
                <code>{notice.detail}</code>
              </details>
            )}
          </span>
        ) : blockedReason ? null : (
          <span className="train-idle">{t.idle}</span>
        )}
      </div>
      {!active && blockedReason && (
        <p className="train-blocked" id={blockedId}>
          {blockedReason}
        </p>
      )}
      {error && (
        <div className="error-message" role="alert">
          <strong>{active ? t.actionFailed : t.startFailed}</strong>{' '}
          <span className="error-detail">
            {code
              ? messages.training.failures[code]
              : error.code === 'conflict'
                ? t.conflict
                : wordError(messages, error)}
          </span>
        </div>
      )}
    </div>
  );
}
