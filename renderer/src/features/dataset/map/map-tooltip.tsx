import { useEffect, useState } from 'react';
import type { ImageDetails, LabelInfo } from '../../../../../app/domain/dataset';
import { call } from '../../../bridge/desktop';
import { useT } from '../../../i18n/i18n';
import type { MapHover } from './map-canvas';
import type { MapScene } from './map-scene';

const DEBOUNCE_MS = 90;
const CACHE_LIMIT = 500;
/** About the tooltip's largest size plus its offset (CSS pixels). */
const TOOLTIP_ROOM = { width: 300, height: 110 };

/** Below right of the point, or on the other side where the tooltip would leave the canvas. */
function placement(hover: MapHover): string {
  const x = Math.round(hover.x);
  const y = Math.round(hover.y);
  const left = hover.x > hover.width - TOOLTIP_ROOM.width;
  const up = hover.y > hover.height - TOOLTIP_ROOM.height;
  return `translate(${left ? `calc(${x}px - 100% - 20px)` : `${x}px`}, ${up ? `calc(${y}px - 100% - 20px)` : `${y}px`})`;
}

/**
 * The hovered point's thumbnail, file name and label (or suggestion). The map knows image ids, not file hashes, so
 * the details are fetched (`dataset:imageDetails`) once the pointer rests, and kept for when it comes back.
 */
export function MapTooltip({
  hover,
  scene,
  labels,
  projectId,
  mediaBase,
  cache,
}: {
  hover: MapHover;
  scene: MapScene;
  labels: LabelInfo[];
  projectId: string;
  mediaBase: string | null;
  /** Details fetched so far, kept by the view across hovers. */
  cache: Map<number, ImageDetails>;
}) {
  const t = useT().datasetMap.tooltip;
  const imageId = scene.map.imageIds[hover.index];
  const [fetched, setFetched] = useState<ImageDetails | null>(null);
  const details = cache.get(imageId) ?? (fetched?.id === imageId ? fetched : null);

  useEffect(() => {
    if (cache.has(imageId)) return;
    let live = true;
    const timer = setTimeout(() => {
      void call((api) => api.dataset.imageDetails({ projectId, imageId })).then((result) => {
        if (!result.ok) return;
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(imageId, result.value);
        if (live) setFetched(result.value);
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [imageId, projectId, cache]);

  const nameOf = (id: number) => labels.find((l) => l.id === id)?.name;
  const label = nameOf(scene.map.labelIds[hover.index]);
  const suggestion = nameOf(scene.map.suggestedLabelIds[hover.index]);
  const disagrees = scene.map.disagrees[hover.index] === 1 && label !== undefined;
  return (
    <div className="map-tooltip" role="tooltip" style={{ transform: placement(hover) }}>
      <div className="map-tooltip-thumb">
        {details && mediaBase ? (
          <img src={`${mediaBase}/${projectId}/thumb/${details.sha256}`} alt="" />
        ) : (
          <span className="muted">{t.loading}</span>
        )}
      </div>
      <div className="map-tooltip-text">
        <span className="map-tooltip-file">{details?.fileName ?? '…'}</span>
        <span className={label ? 'map-tooltip-label' : 'muted'}>
          {label ?? (suggestion ? t.suggested(suggestion) : t.unlabeled)}
        </span>
        {disagrees && <span className="map-tooltip-warning">{t.mislabeled}</span>}
      </div>
    </div>
  );
}
