import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ImageDetails, ImageSummary, LabelInfo } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useFormatDate, useT } from '../../i18n/i18n';
import './image-viewer.css';
import { SuggestionBadge } from './suggestions/suggestion-badge';
import { suggestionOf } from './suggestions/suggestions-model';
import { markUpscaled, mediaUrl } from './use-dataset';
import { wordCause } from './wording/history';

/**
 * One image at full size with everything known about it: source path, size, format, hash, split and its label
 * history. Left/Right (or the buttons) step through the current filter; 1–9 label it like in the grid.
 */
export function ImageViewer({
  projectId,
  image,
  version,
  mediaBase,
  labels,
  onClose,
  onStep,
  onAssign,
  onAcceptSuggestion,
}: {
  projectId: string;
  /** The image to show (null: closed). */
  image: ImageSummary | null;
  /** Changes when the dataset changed, to reload the details. */
  version: number;
  mediaBase: string | null;
  labels: LabelInfo[];
  onClose(): void;
  onStep(delta: -1 | 1): void;
  onAssign(imageId: number, labelId: number | null): void;
  /** Accepts the image's label suggestion (unlabeled images that have one). */
  onAcceptSuggestion(imageId: number): void;
}) {
  const t = useT();
  return (
    <Dialog
      open={image !== null}
      title={image ? t.dataset.viewer.title(image.fileName) : ''}
      onClose={onClose}
    >
      {image && (
        <ViewerBody
          key={image.id}
          projectId={projectId}
          image={image}
          version={version}
          mediaBase={mediaBase}
          labels={labels}
          onClose={onClose}
          onStep={onStep}
          onAssign={onAssign}
          onAcceptSuggestion={onAcceptSuggestion}
        />
      )}
    </Dialog>
  );
}

function ViewerBody({
  projectId,
  image,
  version,
  mediaBase,
  labels,
  onClose,
  onStep,
  onAssign,
  onAcceptSuggestion,
}: {
  projectId: string;
  image: ImageSummary;
  version: number;
  mediaBase: string | null;
  labels: LabelInfo[];
  onClose(): void;
  onStep(delta: -1 | 1): void;
  onAssign(imageId: number, labelId: number | null): void;
  /** Accepts the image's label suggestion (unlabeled images that have one). */
  onAcceptSuggestion(imageId: number): void;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const [details, setDetails] = useState<ImageDetails | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [actualSize, setActualSize] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  // Focus the view itself (not the label menu, where arrow keys would change the label) once the dialog is open.
  useEffect(() => {
    const frame = requestAnimationFrame(() => rootRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  useEffect(() => {
    let live = true;
    void call((api) => api.dataset.imageDetails({ projectId, imageId: image.id })).then((r) => {
      if (!live) return;
      if (r.ok) {
        setDetails(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [projectId, image.id, version]);

  const keys = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLSelectElement) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      onStep(event.key === 'ArrowLeft' ? -1 : 1);
    } else if (/^[1-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const label = labels[Number(event.key) - 1];
      if (label) {
        event.preventDefault();
        onAssign(image.id, label.id);
      }
    }
  };
  const d = details ?? null;
  const labelId = d?.labelId ?? image.labelId;
  const v = t.dataset.viewer;
  const suggestion = suggestionOf(image, new Map(labels.map((l) => [l.id, l])));
  return (
    <div className="image-viewer" onKeyDown={keys} ref={rootRef} tabIndex={-1}>
      <div className={`viewer-image${actualSize ? ' actual' : ' fit'}`}>
        {mediaBase && (
          <img
            src={mediaUrl(mediaBase, projectId, 'original', image.sha256)}
            alt={image.fileName}
            onLoad={markUpscaled}
          />
        )}
      </div>
      <div className="viewer-side">
        <ErrorMessage error={error} context={v.loadFailed} />
        <label className="field">
          <span>{v.label}</span>
          <select
            className="select"
            value={labelId ?? ''}
            onChange={(e) => onAssign(image.id, e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">{t.dataset.unlabeledBadge}</option>
            {labels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        {suggestion && (
          <div className="viewer-suggestion">
            <SuggestionBadge suggestion={suggestion} />
            <button
              type="button"
              className="button small"
              disabled={image.suggestion?.labelId === null}
              onClick={() => onAcceptSuggestion(image.id)}
            >
              {t.suggestions.acceptOne(suggestion.label, suggestion.percent)}
            </button>
          </div>
        )}
        {d && (
          <dl className="meta-list">
            <dt>{v.split}</dt>
            <dd>
              {d.split ? t.dataset.splits[d.split] : '—'}
              {d.splitSource && <span className="muted"> ({v.splitSource[d.splitSource]})</span>}
            </dd>
            <dt>{v.size}</dt>
            <dd>
              {v.dimensions(d.width, d.height)} · {v.bytes(d.byteSize)} · {v.channels(d.channels, d.hasAlpha)}
            </dd>
            <dt>{v.format}</dt>
            <dd>{d.format}</dd>
            <dt>{v.source}</dt>
            <dd className="path">{d.sourcePath}</dd>
            {d.sources.length > 1 && (
              <>
                <dt>{v.otherSources}</dt>
                <dd>
                  <ul className="plain-list">
                    {d.sources.slice(1, 20).map((s, i) => (
                      <li key={i} className="path">
                        {s.path}
                        {s.label ? ` (${s.label})` : ''}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            <dt>{v.added}</dt>
            <dd>{formatDate(d.addedAt)}</dd>
            <dt>{v.hash}</dt>
            <dd className="hash">{d.sha256}</dd>
            <dt>{v.history}</dt>
            <dd>
              <ol className="plain-list history">
                {d.labelHistory.map((h, i) => (
                  <li key={i}>
                    <strong>{h.label ?? v.historyNone}</strong>{' '}
                    <span className="muted">
                      · {wordCause(t, h.cause)} · {formatDate(h.at)}
                    </span>
                  </li>
                ))}
              </ol>
            </dd>
          </dl>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={actualSize} onChange={(e) => setActualSize(e.target.checked)} />
          {v.actualSize}
        </label>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => onStep(-1)} aria-label={v.previous}>
            ←
          </button>
          <button type="button" className="button" onClick={() => onStep(1)} aria-label={v.next}>
            →
          </button>
          <button type="button" className="button primary" onClick={onClose}>
            {v.close}
          </button>
        </div>
      </div>
    </div>
  );
}
