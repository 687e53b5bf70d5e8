import { useState, type ReactNode } from 'react';
import type { DatasetStats, ImageFilter, LabelInfo } from '../../../../../app/domain/dataset';
import type { call } from '../../../bridge/desktop';
import { DeleteLabelDialog, MergeDialog } from '../label-dialogs';
import { LabelPanel } from '../label-panel';

type LabelCall = (request: Parameters<typeof call>[0]) => Promise<boolean>;

/**
 * The labels panel with its label management wired to main (create, rename, colour, merge, delete) and the merge
 * and delete dialogs it opens. Deleting the label being filtered by goes back to all images.
 */
export function DatasetLabels({
  projectId,
  labels,
  stats,
  misclassified,
  filter,
  onFilter,
  labelCall,
  collapsed,
  onCollapsedChange,
  children,
}: {
  projectId: string;
  labels: LabelInfo[];
  stats: DatasetStats | null;
  misclassified: { count: number | undefined } | null;
  filter: ImageFilter;
  onFilter(filter: ImageFilter): void;
  labelCall: LabelCall;
  collapsed: boolean;
  onCollapsedChange(collapsed: boolean): void;
  children?: ReactNode;
}) {
  const [merging, setMerging] = useState<LabelInfo | null>(null);
  const [deleting, setDeleting] = useState<LabelInfo | null>(null);
  return (
    <>
      <LabelPanel
        labels={labels}
        stats={stats}
        misclassified={misclassified}
        filter={filter}
        onFilter={onFilter}
        onCreate={(name) => labelCall((api) => api.labels.create({ projectId, name }))}
        onRename={(label, name) =>
          labelCall((api) => api.labels.rename({ projectId, labelId: label.id, name }))
        }
        onColor={(label, color) =>
          void labelCall((api) => api.labels.setColor({ projectId, labelId: label.id, color }))
        }
        onMerge={setMerging}
        onDelete={setDeleting}
        collapsed={collapsed}
        onCollapsedChange={onCollapsedChange}
      >
        {children}
      </LabelPanel>
      <MergeDialog
        source={merging}
        labels={labels}
        onClose={() => setMerging(null)}
        onMerge={(source, targetId) => {
          setMerging(null);
          void labelCall((api) => api.labels.merge({ projectId, sourceIds: [source.id], targetId }));
        }}
      />
      <DeleteLabelDialog
        label={deleting}
        onClose={() => setDeleting(null)}
        onDelete={(label) => {
          setDeleting(null);
          if (filter.kind === 'label' && filter.labelId === label.id) onFilter({ kind: 'all' });
          void labelCall((api) => api.labels.delete({ projectId, labelId: label.id }));
        }}
      />
    </>
  );
}
