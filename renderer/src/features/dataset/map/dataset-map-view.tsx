import type { KeyboardEvent } from 'react';
import type { LabelInfo } from '../../../../../app/domain/dataset';
import { EmptyState } from '../../../components/empty-state';
import { RetryableError } from '../../../components/error-message';
import { useT } from '../../../i18n/i18n';
import './dataset-map.css';
import { MapIntro, MapProgress } from './map-compute-panel';
import { MapExplorer } from './map-explorer';
import { useDatasetMap } from './use-dataset-map';

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

/**
 * The dataset map (issue 11): every image placed by the model's embeddings, coloured by label. Shows why there is
 * no map (no model, not computed yet), the computation's progress, or the map itself.
 */
export function DatasetMapView(props: DatasetMapViewProps) {
  const t = useT().datasetMap;
  const { state, compute, cancel, reload } = useDatasetMap(props.projectId, props.dataVersion);
  switch (state.kind) {
    case 'loading':
      return <p className="grid-empty">{t.loading}</p>;
    case 'no-model':
      return <EmptyState title={t.noModel.title}>{t.noModel.body}</EmptyState>;
    case 'none':
      return <MapIntro onCompute={(method) => void compute(method, false)} />;
    case 'computing':
      return <MapProgress method={state.method} progress={state.progress} onCancel={cancel} />;
    case 'error':
      return (
        <div className="map-panel">
          <RetryableError error={state.error} context={t.failed} retryLabel={t.retry} onRetry={reload} />
        </div>
      );
    case 'ready':
      return (
        <MapExplorer
          {...props}
          map={state.map}
          onRecompute={() => void compute(state.map.method, true)}
          onMethod={(method) => void compute(method, false)}
        />
      );
  }
}
