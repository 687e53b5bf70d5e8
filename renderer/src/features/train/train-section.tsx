import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { ChartIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/** The Train section. For now its honest empty state; the train feature fills it. */
export function TrainSection({ project }: { project: ProjectSummary }) {
  const t = useT();
  void project;
  return (
    <EmptyState icon={<ChartIcon width={28} height={28} />} title={t.empty.train.title}>
      {t.empty.train.body}
    </EmptyState>
  );
}
