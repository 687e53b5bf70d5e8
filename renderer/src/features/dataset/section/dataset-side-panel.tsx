import type { DatasetStats, LabelInfo } from '../../../../../app/domain/dataset';
import { useT } from '../../../i18n/i18n';
import { ExportPanel, HealthPanel } from '../health-panel';
import { WebcamPanel } from '../webcam-panel';
import type { SidePanel } from './dataset-toolbar';
import './dataset-side-panel.css';

/**
 * The panel beside the grid: splits & health, webcam capture or dataset export. A column on wide windows; below
 * the layout breakpoint an overlay over the grid's right side (dataset-side-panel.css), closed with × or Escape.
 */
export function DatasetSidePanel({
  panel,
  projectId,
  stats,
  labels,
  dataVersion,
  onSelectImages,
  onClose,
}: {
  panel: SidePanel;
  projectId: string;
  stats: DatasetStats | null;
  labels: LabelInfo[];
  dataVersion: number;
  onSelectImages(ids: number[]): void;
  onClose(): void;
}) {
  const t = useT();
  const name = {
    health: t.dataset.panels.toggleHealth,
    camera: t.dataset.camera.toggle,
    export: t.dataset.panels.toggleExport,
  }[panel];
  const title = {
    health: t.dataset.panels.toggleHealth,
    camera: t.dataset.camera.title,
    export: t.dataset.exporter.title,
  }[panel];
  return (
    <aside
      className="side-panel"
      aria-label={name}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <div className="side-panel-head">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label={t.dataset.panels.close} onClick={onClose}>
          ×
        </button>
      </div>
      {panel === 'health' ? (
        <HealthPanel
          projectId={projectId}
          stats={stats}
          version={dataVersion}
          onSelectImages={onSelectImages}
        />
      ) : panel === 'camera' ? (
        <WebcamPanel projectId={projectId} labels={labels} />
      ) : (
        <ExportPanel projectId={projectId} />
      )}
    </aside>
  );
}
