import type { LabelInfo } from '../../../../../app/domain/dataset';
import type { ImagePager } from '../image-pager';
import { ImageViewer } from '../image-viewer';
import { LabelPicker } from '../label-dialogs';
import type { useDatasetActions } from './use-dataset-actions';
import type { GridSelection } from './use-grid-selection';

/**
 * The grid's dialogs: the label picker (labels the selection) and the image viewer (steps through the grid's
 * order, moving the grid's focus along). Both give the focus back to the grid when they close.
 */
export function DatasetDialogs({
  projectId,
  pager,
  total,
  labels,
  dataVersion,
  mediaBase,
  sel,
  actions,
  picker,
  onPicker,
  viewerIndex,
  onViewerIndex,
  focusGrid,
}: {
  projectId: string;
  pager: ImagePager;
  total: number;
  labels: LabelInfo[];
  dataVersion: number;
  mediaBase: string | null;
  sel: GridSelection;
  actions: ReturnType<typeof useDatasetActions>;
  picker: boolean;
  onPicker(open: boolean): void;
  viewerIndex: number | null;
  onViewerIndex(index: number | null): void;
  focusGrid(): void;
}) {
  return (
    <>
      <LabelPicker
        open={picker}
        labels={labels}
        onClose={() => {
          onPicker(false);
          focusGrid();
        }}
        onPick={(choice) => {
          onPicker(false);
          void actions.pick(choice).then(focusGrid);
        }}
      />
      <ImageViewer
        projectId={projectId}
        image={viewerIndex !== null ? (pager.get(viewerIndex) ?? null) : null}
        version={dataVersion}
        mediaBase={mediaBase}
        labels={labels}
        onClose={() => {
          onViewerIndex(null);
          focusGrid();
        }}
        onStep={(delta) => {
          if (viewerIndex === null) return;
          const next = Math.max(0, Math.min(total - 1, viewerIndex + delta));
          onViewerIndex(next);
          sel.focusOnly(next);
        }}
        onAssign={(imageId, labelId) => void actions.assign(labelId, [imageId], false)}
        onAcceptSuggestion={(imageId) => void actions.acceptSuggestions({ imageIds: [imageId] })}
      />
    </>
  );
}
