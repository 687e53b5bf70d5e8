import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { ExportIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/** The Export section. For now its honest empty state; the export feature fills it. */
export function ExportSection({ project }: { project: ProjectSummary }) {
  const t = useT();
  void project;
  return (
    <EmptyState icon={<ExportIcon width={28} height={28} />} title={t.empty.export.title}>
      {t.empty.export.body}
    </EmptyState>
  );
}
