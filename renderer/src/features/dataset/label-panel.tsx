import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { DatasetStats, ImageFilter, LabelInfo, SplitName } from '../../../../app/domain/dataset';
import { SPLIT_NAMES } from '../../../../app/domain/dataset';
import { MergeIcon, PencilIcon, PlusIcon, TrashIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import './label-panel.css';
import { keyForLabelIndex } from './section/grid-navigation';
import { UNLABEL_KEY } from './section/use-grid-keys';

function sameFilter(a: ImageFilter, b: ImageFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The side panel: filters with their counts, then the labels (colour, key, count) which filter by label and can
 * be renamed, recoloured, merged and deleted; a field at the end creates a label.
 */
export function LabelPanel({
  labels,
  stats,
  misclassified = null,
  filter,
  onFilter,
  onCreate,
  onRename,
  onColor,
  onMerge,
  onDelete,
  collapsed = false,
  onCollapsedChange,
  children,
}: {
  labels: LabelInfo[];
  stats: DatasetStats | null;
  /** The "misclassified" filter, offered while the project has a model (null: no model). */
  misclassified?: { count: number | undefined } | null;
  filter: ImageFilter;
  onFilter(filter: ImageFilter): void;
  onCreate(name: string): Promise<boolean>;
  onRename(label: LabelInfo, name: string): Promise<boolean>;
  onColor(label: LabelInfo, color: string): void;
  onMerge(label: LabelInfo): void;
  onDelete(label: LabelInfo): void;
  /** Folded to a strip of label keys, so a narrow window gives the grid the width. */
  collapsed?: boolean;
  onCollapsedChange?(collapsed: boolean): void;
  /** More filters after the general ones (the suggestion filters). */
  children?: ReactNode;
}) {
  const t = useT();
  const [newName, setNewName] = useState('');
  const [renaming, setRenaming] = useState<number | null>(null);
  const count = (n: number | undefined) => (n === undefined ? '' : n.toLocaleString());
  const item = (f: ImageFilter, text: ReactNode, n: number | undefined, extra?: ReactNode) => (
    <li key={JSON.stringify(f)}>
      <button
        type="button"
        className={`filter-item${sameFilter(f, filter) ? ' selected' : ''}`}
        aria-current={sameFilter(f, filter) ? 'true' : undefined}
        onClick={() => onFilter(f)}
      >
        {extra}
        <span className="filter-name">{text}</span>
        <span className="filter-count">{count(n)}</span>
      </button>
    </li>
  );
  const create = (event: FormEvent) => {
    event.preventDefault();
    const name = newName.trim();
    if (!name) return;
    void onCreate(name).then((ok) => ok && setNewName(''));
  };
  const toggle = onCollapsedChange && (
    <button
      type="button"
      className="icon-button label-panel-toggle"
      aria-expanded={!collapsed}
      aria-label={collapsed ? t.dataset.labelsPanel.show : t.dataset.labelsPanel.hide}
      title={collapsed ? t.dataset.labelsPanel.show : t.dataset.labelsPanel.hide}
      onClick={() => onCollapsedChange(!collapsed)}
    >
      <span aria-hidden="true">{collapsed ? '»' : '«'}</span>
    </button>
  );
  if (collapsed) {
    return (
      <aside className="label-panel collapsed" aria-label={t.dataset.filtersLabel}>
        {toggle}
        <ul className="label-keys" aria-label={t.dataset.labelsHeading}>
          {labels.map((label, i) => {
            const key = keyForLabelIndex(i);
            return (
              <li key={label.id} title={label.name}>
                <span className="label-dot" style={{ background: label.color }} />
                {key && <kbd className="label-key">{key}</kbd>}
                <span className="visually-hidden">{label.name}</span>
              </li>
            );
          })}
        </ul>
      </aside>
    );
  }
  return (
    <aside className="label-panel" aria-label={t.dataset.filtersLabel}>
      {toggle}
      <nav aria-label={t.dataset.filtersLabel}>
        <ul className="filter-list">
          {item({ kind: 'all' }, t.dataset.filters.all, stats?.total)}
          {item({ kind: 'unlabeled' }, t.dataset.filters.unlabeled, stats?.unlabeled)}
          {(stats?.conflicts ?? 0) > 0 &&
            item({ kind: 'conflicts' }, t.dataset.filters.conflicts, stats?.conflicts)}
          {(stats?.duplicates ?? 0) > 0 &&
            item({ kind: 'duplicates' }, t.dataset.filters.duplicates, stats?.duplicates)}
          {misclassified &&
            item({ kind: 'misclassified' }, t.evaluation.misclassifiedFilter, misclassified.count)}
          {item({ kind: 'removed' }, t.dataset.filters.removed, stats?.removed)}
        </ul>
        {children}
        <h3 className="panel-heading">{t.dataset.splitsHeading}</h3>
        <ul className="filter-list">
          {SPLIT_NAMES.map((s: SplitName) =>
            item(
              { kind: 'split', split: s },
              t.dataset.splits[s],
              stats?.perSplit[s],
              <span className={`split-dot split-${s}`} />,
            ),
          )}
        </ul>
      </nav>
      <h3 className="panel-heading" id="labels-heading">
        {t.dataset.labelsHeading}
      </h3>
      {labels.length === 0 && <p className="panel-empty">{t.dataset.labelsEmpty}</p>}
      <ul className="label-list" aria-labelledby="labels-heading">
        {labels.map((label, i) => {
          const selected = filter.kind === 'label' && filter.labelId === label.id;
          if (renaming === label.id) {
            return (
              <li key={label.id} className="label-row renaming">
                <RenameLabel
                  label={label}
                  onDone={() => setRenaming(null)}
                  onSave={(name) => onRename(label, name)}
                />
              </li>
            );
          }
          return (
            <li key={label.id} className={`label-row${selected ? ' selected' : ''}`}>
              <input
                type="color"
                className="label-color"
                value={label.color}
                aria-label={t.dataset.labelColor(label.name)}
                title={t.dataset.labelColor(label.name)}
                onChange={(e) => onColor(label, e.target.value)}
              />
              <button
                type="button"
                className="filter-item label-filter"
                aria-current={selected ? 'true' : undefined}
                aria-label={t.dataset.labelFilter(label.name, label.imageCount)}
                onClick={() => onFilter({ kind: 'label', labelId: label.id })}
              >
                <span className="filter-name">{label.name}</span>
                {keyForLabelIndex(i) !== null && (
                  <kbd className="label-key" title={t.dataset.labelKeyTitle(keyForLabelIndex(i) ?? '')}>
                    {keyForLabelIndex(i)}
                  </kbd>
                )}
                <span className="filter-count">{label.imageCount.toLocaleString()}</span>
              </button>
              <span className="label-actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t.dataset.renameLabel(label.name)}
                  title={t.dataset.renameLabel(label.name)}
                  onClick={() => setRenaming(label.id)}
                >
                  <PencilIcon />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t.dataset.mergeLabel(label.name)}
                  title={t.dataset.mergeLabel(label.name)}
                  disabled={labels.length < 2}
                  onClick={() => onMerge(label)}
                >
                  <MergeIcon />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t.dataset.deleteLabel(label.name)}
                  title={t.dataset.deleteLabel(label.name)}
                  onClick={() => onDelete(label)}
                >
                  <TrashIcon />
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      {labels.length > 0 && (
        <p className="panel-hint">
          <kbd className="label-key">{UNLABEL_KEY.toUpperCase()}</kbd> {t.dataset.unlabelKeyHint}
        </p>
      )}
      <form className="new-label" onSubmit={create}>
        <input
          type="text"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          placeholder={t.dataset.newLabelPlaceholder}
          aria-label={t.dataset.newLabel}
          maxLength={100}
        />
        <button
          type="submit"
          className="icon-button"
          aria-label={t.dataset.addLabel}
          title={t.dataset.addLabel}
          disabled={!newName.trim()}
        >
          <PlusIcon />
        </button>
      </form>
    </aside>
  );
}

function RenameLabel({
  label,
  onSave,
  onDone,
}: {
  label: LabelInfo;
  onSave(name: string): Promise<boolean>;
  onDone(): void;
}) {
  const t = useT();
  const [name, setName] = useState(label.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value || value === label.name) return onDone();
    void onSave(value).then((ok) => ok && onDone());
  };
  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone();
    }
  };
  return (
    <form className="rename-label" onSubmit={submit}>
      <input
        type="text"
        value={name}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={keys}
        aria-label={t.dataset.renameLabelInput}
        maxLength={100}
      />
      <button type="submit" className="button small">
        {t.dataset.save}
      </button>
    </form>
  );
}
