import type { KeyboardEvent, MutableRefObject } from 'react';
import type { LabelInfo } from '../../../../../app/domain/dataset';
import { useT } from '../../../i18n/i18n';
import { ImageGrid, type GridHandle } from '../image-grid';
import type { ImagePager } from '../image-pager';
import { DatasetMapView } from '../map/dataset-map-view';
import type { DatasetView } from './dataset-toolbar';
import { CELL_MIN, type ThumbSize } from './thumb-size';
import type { GridSelection } from './use-grid-selection';

/** The images as the thumbnail grid or as the dataset map (issue 11); both share the selection and keys. */
export function DatasetImages({
  view,
  projectId,
  pager,
  version,
  dataVersion,
  mediaBase,
  labels,
  thumbSize,
  sel,
  gridRef,
  onOpen,
  onKeyDown,
}: {
  view: DatasetView;
  projectId: string;
  pager: ImagePager;
  version: number;
  dataVersion: number;
  mediaBase: string | null;
  labels: LabelInfo[];
  thumbSize: ThumbSize;
  sel: GridSelection;
  gridRef: MutableRefObject<GridHandle | null>;
  onOpen(index: number): void;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
}) {
  const t = useT();
  if (view === 'map') {
    return (
      <DatasetMapView
        projectId={projectId}
        labels={labels}
        dataVersion={dataVersion}
        mediaBase={mediaBase}
        selection={sel.selection}
        onSelectionChange={sel.setSelection}
        onKeyDown={onKeyDown}
      />
    );
  }
  if (pager.total === 0) return <p className="grid-empty">{t.dataset.noMatches}</p>;
  return (
    <ImageGrid
      pager={pager}
      version={version}
      projectId={projectId}
      mediaBase={mediaBase}
      labels={labels}
      cellMin={CELL_MIN[thumbSize]}
      focusIndex={sel.focus}
      selection={sel.selection}
      onCellPointer={sel.onCellPointer}
      onOpen={onOpen}
      onKeyDown={onKeyDown}
      onFocus={() => {
        // Tabbing into the grid puts the focus on its first image (without selecting it).
        if (sel.focus < 0 && (pager.total ?? 0) > 0) sel.setFocus(0);
      }}
      handleRef={gridRef}
      label={t.dataset.gridLabel}
    />
  );
}
