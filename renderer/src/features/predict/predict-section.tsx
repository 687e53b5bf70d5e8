import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { TargetIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';

/** The Predict section. For now its honest empty state; the predict feature fills it. */
export function PredictSection({ project }: { project: ProjectSummary }) {
  const t = useT();
  void project;
  return (
    <EmptyState icon={<TargetIcon width={28} height={28} />} title={t.empty.predict.title}>
      {t.empty.predict.body}
    </EmptyState>
  );
}
