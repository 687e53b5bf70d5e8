import type { ProjectSummary } from '../../../../app/domain/project';
import { TabPanel, Tabs } from '../../components/tabs';
import { useFormatDate, useT } from '../../i18n/i18n';
import { SECTIONS, type SectionKey } from './sections';

/** An open project: its header and the Dataset / Train / Evaluate / Predict / Export tabs. */
export function ProjectWorkspace({
  project,
  section,
  onSection,
}: {
  project: ProjectSummary;
  section: SectionKey;
  onSection(section: SectionKey): void;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const current = SECTIONS.find((s) => s.key === section) ?? SECTIONS[0];
  const idPrefix = `project-${project.id}`;
  return (
    <section className="page workspace" aria-labelledby="workspace-title">
      <header className="page-header">
        <h1 id="workspace-title" className="page-title">
          {project.name}
        </h1>
        <p className="page-subtitle">
          <span className="chip">
            {project.inputSize}×{project.inputSize}
          </span>
          <span className="chip">{t.projects.color[project.color]}</span>
          <span>{t.workspace.created(formatDate(project.createdAt))}</span>
        </p>
      </header>
      <Tabs
        items={SECTIONS.map((s) => ({ key: s.key, label: t.workspace.sections[s.key], icon: s.icon }))}
        selected={current.key}
        onSelect={onSection}
        label={t.workspace.sectionsLabel}
        idPrefix={idPrefix}
      />
      <TabPanel idPrefix={idPrefix} tab={current.key}>
        <current.Component project={project} onSection={onSection} />
      </TabPanel>
    </section>
  );
}
