/**
 * The `train` command's live view on a terminal: a cli-progress bar on stderr (steps of the whole run, the
 * current epoch, loss, accuracy, images/s, time left) with one line per finished epoch above it. Only built when
 * stderr is a TTY, so pipes and `--json` consumers see nothing of it.
 */
import cliProgress, { type SingleBar } from 'cli-progress';
import type { TrainingListenerEvent } from '../services/training/api';
import { fixed, percent } from './training-text';

export interface ProgressView {
  onEvent(event: TrainingListenerEvent): void;
  /** A line above the bar. */
  log(line: string): void;
  stop(): void;
}

const clock = (seconds: number | null): string => {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
};

/** A progress view writing to `stream` (a TTY). */
export function createProgressView(stream: NodeJS.WriteStream): ProgressView {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: 'epoch {epoch} {bar} {percentage}% | loss {loss} | acc {acc} | {ips} img/s | {left} left',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: SingleBar | null = null;
  let stopped = false;
  return {
    onEvent(event) {
      if (stopped) return;
      if (event.kind === 'progress') {
        const p = event.payload;
        const payload = {
          epoch: `${p.epoch}/${p.epochs}`,
          loss: fixed(p.loss, 4),
          acc: percent(p.accuracy),
          ips: Math.round(p.imagesPerSecond).toLocaleString('en-US'),
          left: clock(p.secondsLeft),
        };
        if (!bar) bar = bars.create(p.totalSteps, p.step, payload);
        else {
          bar.setTotal(p.totalSteps);
          bar.update(p.step, payload);
        }
      } else if (event.kind === 'epoch') {
        const m = event.payload.metrics;
        bars.log(
          `epoch ${m.epoch}: train loss ${fixed(m.trainLoss, 4)}, acc ${percent(m.trainAccuracy)}; ` +
            `val loss ${fixed(m.valLoss, 4)}, acc ${percent(m.valAccuracy)} (${fixed(m.seconds, 1)} s)\n`,
        );
      } else if (event.payload.status === 'queued') {
        bars.log('Queued: waiting for other projects’ runs to finish…\n');
      }
    },
    log(line) {
      if (!stopped) bars.log(line.endsWith('\n') ? line : line + '\n');
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
