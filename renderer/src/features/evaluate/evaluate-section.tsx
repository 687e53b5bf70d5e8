import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { CheckCircleIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/** The Evaluate section. For now its honest empty state; the evaluate feature fills it. */
export function EvaluateSection({ project }: { project: ProjectSummary }) {
  const t = useT();
  void project;
  return (
    <EmptyState icon={<CheckCircleIcon width={28} height={28} />} title={t.empty.evaluate.title}>
      {t.empty.evaluate.body}
    </EmptyState>
  );
}
