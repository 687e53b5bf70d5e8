import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import './webcam-panel.css';

/** Frames per second of a burst, and the side of the square frames sent (the project resizes them anyway). */
const FPS = 5;
const FRAME_SIDE = 256;

type CameraState = 'starting' | 'on' | 'none' | 'error';

/**
 * Webcam capture into a label: a live preview and a button to hold while recording a burst (about 5 frames/s).
 * On release the frames go to `dataset:importCaptured` and arrive like any import (progress, summary, undo).
 */
export function WebcamPanel({ projectId, labels }: { projectId: string; labels: LabelInfo[] }) {
  const t = useT();
  const c = t.dataset.camera;
  const videoRef = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<CameraState>('starting');
  const [label, setLabel] = useState(() => labels[0]?.name ?? '');
  const [count, setCount] = useState(0);
  const [recording, setRecording] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const frames = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const listId = useId();

  useEffect(() => {
    let stream: MediaStream | null = null;
    let live = true;
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) {
      queueMicrotask(() => live && setCamera('none'));
      return;
    }
    media
      .getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then(async (s) => {
        if (!live) return s.getTracks().forEach((track) => track.stop());
        stream = s;
        const video = videoRef.current;
        if (video) {
          video.srcObject = s;
          await video.play().catch(() => undefined);
        }
        setCamera('on');
      })
      .catch((e: unknown) => {
        if (!live) return;
        const name = e instanceof DOMException ? e.name : '';
        setCamera(name === 'NotFoundError' || name === 'OverconstrainedError' ? 'none' : 'error');
      });
    return () => {
      live = false;
      stream?.getTracks().forEach((track) => track.stop());
      if (timer.current) clearInterval(timer.current);
    };
  }, []);

  const grab = () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) return;
    // The centre square, scaled to FRAME_SIDE: projects train on square inputs.
    const side = Math.min(video.videoWidth, video.videoHeight);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = Math.min(FRAME_SIDE, side);
    canvas
      .getContext('2d')
      ?.drawImage(
        video,
        (video.videoWidth - side) / 2,
        (video.videoHeight - side) / 2,
        side,
        side,
        0,
        0,
        canvas.width,
        canvas.height,
      );
    frames.current.push(canvas.toDataURL('image/jpeg', 0.92));
    setCount(frames.current.length);
  };

  const start = () => {
    if (recording || camera !== 'on') return;
    if (!label.trim()) {
      setError({ code: 'invalid-name', message: c.needLabel });
      return;
    }
    setError(null);
    setSent(null);
    frames.current = [];
    setCount(0);
    setRecording(true);
    grab();
    timer.current = setInterval(() => {
      if (frames.current.length >= 300) return stop();
      grab();
    }, 1000 / FPS);
  };

  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    setRecording(false);
    const images = frames.current;
    frames.current = [];
    if (images.length === 0) return;
    const name = label.trim();
    void call((api) => api.dataset.importCaptured({ projectId, label: name, images })).then((r) => {
      if (r.ok) setSent(c.sent(images.length, name));
      else setError(r.error);
    });
  };

  const keys = (event: KeyboardEvent<HTMLButtonElement>, down: boolean) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    if (down && !event.repeat) start();
    if (!down) stop();
  };

  return (
    <div className="side-panel-body webcam">
      <p className="hint">{c.hint}</p>
      <div className="webcam-preview">
        <video ref={videoRef} muted playsInline aria-label={c.preview} />
        {camera !== 'on' && (
          <p className="webcam-state" role="status">
            {camera === 'starting' ? c.starting : camera === 'none' ? c.noCamera : c.denied}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${listId}-label`}>{c.label}</label>
        <input
          id={`${listId}-label`}
          type="text"
          list={listId}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          maxLength={100}
        />
        <datalist id={listId}>
          {labels.map((l) => (
            <option key={l.id} value={l.name} />
          ))}
        </datalist>
      </div>
      <button
        type="button"
        className={`button primary webcam-hold${recording ? ' recording' : ''}`}
        disabled={camera !== 'on'}
        aria-pressed={recording}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          start();
        }}
        onPointerUp={stop}
        onPointerCancel={stop}
        onKeyDown={(e) => keys(e, true)}
        onKeyUp={(e) => keys(e, false)}
      >
        {recording ? c.recording(count) : c.hold}
      </button>
      {sent && (
        <p className="success" role="status">
          {sent}
        </p>
      )}
      <ErrorMessage error={error} context={c.failed} />
    </div>
  );
}
