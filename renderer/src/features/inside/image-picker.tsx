import { useEffect, useState } from 'react';
import type { ImageSummary } from '../../../../app/domain/dataset';
import { call } from '../../bridge/desktop';
import { useT } from '../../i18n/i18n';
import { markUpscaled, mediaUrl, useMediaBase } from '../dataset/use-dataset';
import type { InsideSource } from './use-inspection';

/** How many of the project's images the strip offers. */
export const STRIP_SIZE = 10;

/** A few images of the project, one per label where possible (the first of each, then the rest by date). */
function spread(items: ImageSummary[], n: number): ImageSummary[] {
  const seen = new Set<string | null>();
  const first: ImageSummary[] = [];
  const rest: ImageSummary[] = [];
  for (const item of items) {
    if (seen.has(item.labelName)) rest.push(item);
    else {
      seen.add(item.labelName);
      first.push(item);
    }
  }
  return [...first, ...rest].slice(0, n);
}

/**
 * The image picker: a strip of the project's images (thumbnails from the media URL, one per label first) and the
 * hint that an image can be dropped or pasted on the view (the section handles those).
 */
export function ImagePicker({
  projectId,
  source,
  onPick,
}: {
  projectId: string;
  source: InsideSource | null;
  onPick(source: InsideSource): void;
}) {
  const t = useT().inside.picker;
  const mediaBase = useMediaBase();
  const [images, setImages] = useState<ImageSummary[] | null>(null);
  useEffect(() => {
    let live = true;
    void call((api) => api.dataset.listImages({ projectId, sort: 'label', limit: 400 })).then((r) => {
      if (live) setImages(r.ok ? spread(r.value.items, STRIP_SIZE) : []);
    });
    return () => {
      live = false;
    };
  }, [projectId]);

  // The first image is looked at as soon as the strip is known.
  useEffect(() => {
    if (!source && images && images[0]) {
      onPick({ kind: 'image', imageId: images[0].id, name: images[0].fileName });
    }
  }, [images, source, onPick]);

  return (
    <div className="inside-picker">
      <span className="inside-field-label" id={`inside-strip-${projectId}`}>
        {t.strip}
      </span>
      {images && images.length === 0 && <p className="inside-muted">{t.noImages}</p>}
      <ul className="inside-strip" aria-labelledby={`inside-strip-${projectId}`}>
        {(images ?? []).map((image) => {
          const selected = source?.kind === 'image' && source.imageId === image.id;
          return (
            <li key={image.id}>
              <button
                type="button"
                className={`inside-thumb${selected ? ' selected' : ''}`}
                aria-pressed={selected}
                aria-label={t.pick(image.fileName)}
                title={image.labelName ? `${image.fileName} · ${image.labelName}` : image.fileName}
                onClick={() => onPick({ kind: 'image', imageId: image.id, name: image.fileName })}
              >
                {mediaBase && (
                  <img
                    src={mediaUrl(mediaBase, projectId, 'thumb', image.sha256)}
                    alt=""
                    draggable={false}
                    decoding="async"
                    onLoad={markUpscaled}
                  />
                )}
              </button>
            </li>
          );
        })}
        {source?.kind === 'file' && (
          <li className="inside-thumb-file" title={source.file}>
            {source.pasted ? t.pasted : t.dropped(source.name)}
          </li>
        )}
      </ul>
      <span className="inside-muted inside-drop-hint">{t.dropHint}</span>
    </div>
  );
}
