import type { KeyboardEvent } from 'react';
import type { LabelInfo } from '../../../../../app/domain/dataset';

/** What the Dataset section gives its map view (issue 11); the section keeps the selection and the labeling keys. */
export interface DatasetMapViewProps {
  projectId: string;
  labels: LabelInfo[];
  /** Bumps when images, labels or suggestions changed: re-read the map's colours and marks. */
  dataVersion: number;
  /** Base URL of thumbnails (null until known), as the grid gets it. */
  mediaBase: string | null;
  /** The images selected (shared with the grid). */
  selection: ReadonlySet<number>;
  onSelectionChange(ids: ReadonlySet<number>): void;
  /** The section's labeling keys (digits, 0, L, Enter, Delete, Escape) act on the selection. */
  onKeyDown(event: KeyboardEvent<HTMLElement>): void;
}

/** The dataset map: being built (issue 11). */
export function DatasetMapView(_props: DatasetMapViewProps) {
  return <p className="grid-empty">…</p>;
}
