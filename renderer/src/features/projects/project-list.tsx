import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { PencilIcon, TrashIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { projectNameProblem, projectNameRefusal } from '../dataset/wording/form-errors';
import { DamagedProjectRow } from './damaged-project-row';

/** The sidebar's list of projects: open one, rename it in place, or ask to delete it. */
export function ProjectList({
  projects,
  selectedId,
  onOpen,
  onDelete,
}: {
  projects: ProjectSummary[];
  selectedId: string | null;
  onOpen(id: string): void;
  onDelete(project: ProjectSummary): void;
}) {
  const t = useT();
  if (projects.length === 0) return <p className="sidebar-empty">{t.projects.empty}</p>;
  return (
    <ul className="project-list" aria-label={t.projects.listLabel}>
      {projects.map((project) =>
        project.problem ? (
          <DamagedProjectRow key={project.id} project={project} onDelete={() => onDelete(project)} />
        ) : (
          <ProjectRow
            key={project.id}
            project={project}
            selected={project.id === selectedId}
            onOpen={() => onOpen(project.id)}
            onDelete={() => onDelete(project)}
          />
        ),
      )}
    </ul>
  );
}

function ProjectRow({
  project,
  selected,
  onOpen,
  onDelete,
}: {
  project: ProjectSummary;
  selected: boolean;
  onOpen(): void;
  onDelete(): void;
}) {
  const t = useT();
  const [renaming, setRenaming] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const finishRename = () => {
    setRenaming(false);
    // Put focus back on the row's rename button so keyboard users keep their place.
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  return (
    <li className={`project-row${selected ? ' selected' : ''}`}>
      {renaming ? (
        <RenameForm project={project} onDone={finishRename} />
      ) : (
        <>
          <button
            type="button"
            className="project-open"
            aria-current={selected ? 'page' : undefined}
            aria-label={t.projects.open(project.name)}
            onClick={onOpen}
          >
            <span className="project-name">{project.name}</span>
            <span className="project-meta">
              {t.projects.meta(project.inputSize, t.projects.color[project.color], project.imageCount)}
            </span>
          </button>
          <div className="row-actions">
            <button
              ref={renameButton}
              type="button"
              className="icon-button"
              aria-label={t.projects.rename(project.name)}
              title={t.projects.rename(project.name)}
              onClick={() => setRenaming(true)}
            >
              <PencilIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={t.projects.delete(project.name)}
              title={t.projects.delete(project.name)}
              onClick={onDelete}
            >
              <TrashIcon />
            </button>
          </div>
        </>
      )}
    </li>
  );
}

function RenameForm({ project, onDone }: { project: ProjectSummary; onDone(): void }) {
  const t = useT();
  const [name, setName] = useState(project.name);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const problemId = useId();
  // Checked as the user types, with main's rules; main checks again.
  const problem = name !== project.name ? projectNameProblem(t, name) : null;
  const worded = projectNameRefusal(t, error, name);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (name === project.name) return onDone();
    setBusy(true);
    const result = await call((api) => api.projects.rename({ id: project.id, name }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      input.current?.focus();
      return;
    }
    onDone();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone();
    }
  };
  return (
    <form className="rename-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <input
        ref={input}
        type="text"
        className="rename-input"
        aria-label={t.projects.renameInput}
        autoComplete="off"
        spellCheck={false}
        value={name}
        aria-invalid={error || problem ? true : undefined}
        aria-describedby={problem ? problemId : error ? errorId : undefined}
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
      />
      {problem && (
        <p className="field-error" id={problemId}>
          {problem}
        </p>
      )}
      <div className="rename-actions">
        <button type="button" className="button small" onClick={onDone}>
          {t.projects.renameCancel}
        </button>
        <button type="submit" className="button small primary" disabled={busy}>
          {t.projects.renameSave}
        </button>
      </div>
      <ErrorMessage error={error} context={t.projects.renameFailed} id={errorId} worded={worded} />
    </form>
  );
}
