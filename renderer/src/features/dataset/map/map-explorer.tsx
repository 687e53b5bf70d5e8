import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ImageDetails } from '../../../../../app/domain/dataset';
import type { DatasetMap, DatasetMapMethod } from '../../../../../app/domain/dataset-map';
import { useLocale } from '../../../i18n/i18n';
import type { DatasetMapViewProps } from './dataset-map-view';
import { MapCanvas, type MapCanvasHandle, type MapHover } from './map-canvas';
import type { MapTool } from './map-gestures';
import { MapLegend } from './map-legend';
import { buildScene, selectedIndices } from './map-scene';
import { MapToolbar } from './map-toolbar';
import { MapTooltip } from './map-tooltip';
import { countByLabel } from './point-style';
import { useColorScheme } from './use-color-scheme';

const KEY_PAN = 60;
const KEY_ZOOM = 1.5;

/**
 * A computed map: toolbar, canvas, legend and hover tooltip. Selections on the canvas become the section's shared
 * selection (image ids); the section's labeling keys reach it from the focusable stage.
 */
export function MapExplorer({
  map,
  onRecompute,
  onMethod,
  projectId,
  labels,
  mediaBase,
  selection,
  onSelectionChange,
  onKeyDown,
}: Omit<DatasetMapViewProps, 'dataVersion'> & {
  map: DatasetMap;
  onRecompute(): void;
  onMethod(method: DatasetMapMethod): void;
}) {
  const { locale, messages } = useLocale();
  const t = messages.datasetMap;
  const number = new Intl.NumberFormat(locale);
  const scheme = useColorScheme();
  const [tool, setTool] = useState<MapTool>('pan');
  const [showMislabeled, setShowMislabeled] = useState(true);
  const [hover, setHover] = useState<MapHover | null>(null);
  const canvas = useRef<MapCanvasHandle>(null);
  const [details] = useState(() => new Map<number, ImageDetails>());

  const colors = useMemo(() => new Map(labels.map((l) => [l.id, l.color])), [labels]);
  const scene = useMemo(() => buildScene(map, colors), [map, colors]);
  const selected = useMemo(() => selectedIndices(scene, selection), [scene, selection]);
  const counts = useMemo(() => countByLabel(map.labelIds), [map]);
  const suggested = useMemo(
    () => [...scene.groups.rings.values()].reduce((sum, list) => sum + list.length, 0),
    [scene],
  );

  const select = (indices: number[], additive: boolean) => {
    const ids = indices.map((i) => map.imageIds[i]);
    if (!additive) return onSelectionChange(new Set(ids));
    const next = new Set(selection);
    // Ctrl+click on a selected point takes it out, as in the grid.
    if (ids.length === 1 && next.has(ids[0])) next.delete(ids[0]);
    else for (const id of ids) next.add(id);
    onSelectionChange(next);
  };

  const onStageKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const pans: Record<string, [number, number]> = {
      ArrowLeft: [KEY_PAN, 0],
      ArrowRight: [-KEY_PAN, 0],
      ArrowUp: [0, KEY_PAN],
      ArrowDown: [0, -KEY_PAN],
    };
    const mod = event.ctrlKey || event.metaKey || event.altKey;
    if (!mod && (event.key === '+' || event.key === '=')) canvas.current?.zoomBy(KEY_ZOOM);
    else if (!mod && (event.key === '-' || event.key === '_')) canvas.current?.zoomBy(1 / KEY_ZOOM);
    else if (!mod && event.key in pans) canvas.current?.panBy(...pans[event.key]);
    else return onKeyDown(event);
    event.preventDefault();
  };

  return (
    <div className="dataset-map">
      <MapToolbar
        tool={tool}
        onTool={setTool}
        onZoom={(factor) => canvas.current?.zoomBy(factor)}
        onReset={() => canvas.current?.reset()}
        showMislabeled={showMislabeled}
        onShowMislabeled={setShowMislabeled}
        method={map.method}
        onMethod={onMethod}
      />
      {map.missing > 0 && (
        <p className="map-stale" role="status">
          {t.stale(map.missing, number.format(map.missing))}{' '}
          <button type="button" className="map-link" onClick={onRecompute}>
            {t.recompute}
          </button>
        </p>
      )}
      <div className="map-body">
        <div
          className="map-stage"
          tabIndex={0}
          aria-describedby="map-hint"
          onKeyDown={onStageKey}
          onPointerDown={(event) => event.currentTarget.focus({ preventScroll: true })}
        >
          <MapCanvas
            scene={scene}
            tool={tool}
            selected={selected}
            showMislabeled={showMislabeled}
            colorScheme={scheme}
            label={t.canvasLabel(number.format(map.count), t.methodName[map.method])}
            onSelect={select}
            onHover={setHover}
            handleRef={canvas}
          />
          {hover && (
            <MapTooltip
              hover={hover}
              scene={scene}
              labels={labels}
              projectId={projectId}
              mediaBase={mediaBase}
              cache={details}
            />
          )}
        </div>
        <MapLegend
          labels={labels}
          counts={counts}
          suggested={suggested}
          mislabeled={scene.groups.mislabeled.length}
          showMislabeled={showMislabeled}
        />
      </div>
      <p className="muted map-hint" id="map-hint">
        {t.toolbar.toolHint}
      </p>
    </div>
  );
}
