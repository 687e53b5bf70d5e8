import { useEffect, useRef, useState } from 'react';
import type { ProjectSummary } from '../../app/domain/project';
import { useAppInfo } from './bridge/use-app-info';
import { ErrorMessage } from './components/error-message';
import { LogoIcon, PlusIcon, TrashIcon } from './components/icons';
import { CreateProjectDialog } from './features/projects/create-project-dialog';
import { DeleteProjectDialog } from './features/projects/delete-project-dialog';
import { ProjectList } from './features/projects/project-list';
import { TrashView } from './features/projects/trash-view';
import { useProjects } from './features/projects/use-projects';
import { Welcome } from './features/projects/welcome';
import { ProjectWorkspace } from './features/workspace/project-workspace';
import type { SectionKey } from './features/workspace/sections';
import { LOCALES, useLocale, useT, type Locale } from './i18n/i18n';

/** What the main area shows. */
type View =
  | { kind: 'welcome' }
  /** `opened` is main's answer that opened it, shown until the refreshed list includes the project. */
  | { kind: 'project'; id: string; section: SectionKey; opened?: ProjectSummary }
  | { kind: 'trash' };

/** The window: a sidebar with the projects and the Trash, and the open project (or welcome / Trash) beside it. */
export function App() {
  const t = useT();
  const { projects, trash, loaded, error } = useProjects();
  const [view, setView] = useState<View>({ kind: 'welcome' });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ProjectSummary | null>(null);
  const info = useAppInfo();

  const seenInList = useRef<string | null>(null);
  const openProject = (id: string, opened?: ProjectSummary) => {
    seenInList.current = null;
    setView({ kind: 'project', id, section: 'dataset', opened });
  };
  const listed = view.kind === 'project' ? projects.find((p) => p.id === view.id) : undefined;
  const openProjectSummary = listed ?? (view.kind === 'project' ? view.opened : undefined);
  // The open project left the list (deleted here, by the CLI or another window): back to the welcome page.
  // Only once it has been listed, so a just-created project is not closed before the list catches up.
  useEffect(() => {
    if (view.kind !== 'project') return;
    if (listed) seenInList.current = view.id;
    else if (seenInList.current === view.id) setView({ kind: 'welcome' });
  }, [view, listed]);

  return (
    <div className="shell">
      <aside className="sidebar" aria-label={t.projects.heading}>
        <div className="brand">
          <LogoIcon width={20} height={20} className="brand-mark" />
          <span className="brand-name">{t.app.title}</span>
        </div>
        <div className="sidebar-section-header">
          <h2 className="sidebar-heading">{t.projects.heading}</h2>
          <button
            type="button"
            className="icon-button"
            aria-label={t.projects.newProject}
            title={t.projects.newProject}
            onClick={() => setCreating(true)}
          >
            <PlusIcon />
          </button>
        </div>
        <nav className="sidebar-scroll" aria-label={t.projects.listLabel}>
          {error && <ErrorMessage error={error} context={t.projects.loadFailed} />}
          {loaded ? (
            <ProjectList
              projects={projects}
              selectedId={view.kind === 'project' ? view.id : null}
              onOpen={openProject}
              onDelete={setDeleting}
            />
          ) : (
            <p className="sidebar-empty">{t.app.loading}</p>
          )}
        </nav>
        <div className="sidebar-footer">
          <button
            type="button"
            className={`sidebar-link${view.kind === 'trash' ? ' selected' : ''}`}
            aria-current={view.kind === 'trash' ? 'page' : undefined}
            onClick={() => setView({ kind: 'trash' })}
          >
            <TrashIcon />
            <span>{t.trash.open}</span>
            {trash.length > 0 && <span className="badge">{trash.length}</span>}
          </button>
          <LanguagePicker />
        </div>
      </aside>
      <main className="content">
        {view.kind === 'trash' ? (
          <TrashView trash={trash} onRestored={(p) => openProject(p.id, p)} />
        ) : view.kind === 'project' && openProjectSummary ? (
          <ProjectWorkspace
            key={openProjectSummary.id}
            project={openProjectSummary}
            section={view.section}
            onSection={(section) => setView({ ...view, section })}
          />
        ) : (
          <Welcome info={info} onCreate={() => setCreating(true)} />
        )}
      </main>
      <CreateProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(project) => {
          setCreating(false);
          openProject(project.id, project);
        }}
      />
      <DeleteProjectDialog
        project={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(trashed) => {
          setDeleting(null);
          if (view.kind === 'project' && view.id === trashed.id) setView({ kind: 'welcome' });
        }}
      />
    </div>
  );
}

function LanguagePicker() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <label className="language-picker">
      <span className="visually-hidden">{t.app.language}</span>
      <select
        value={locale}
        onChange={(e) => setLocale(e.target.value as Locale)}
        aria-label={t.app.language}
      >
        {(Object.keys(LOCALES) as Locale[]).map((key) => (
          <option key={key} value={key}>
            {LOCALES[key].label}
          </option>
        ))}
      </select>
    </label>
  );
}
