import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import { Dialog } from '../../components/dialog';
import { useT } from '../../i18n/i18n';
import './label-dialogs.css';
import { keyForLabelIndex } from './section/grid-navigation';

type PickerOption = { kind: 'label'; label: LabelInfo } | { kind: 'none' } | { kind: 'create'; name: string };

/**
 * The searchable label picker (L or Ctrl+K): type to filter, arrows to move, Enter to apply. Every label is listed
 * with its key (the list scrolls, keeping the active one in view), which is how labels past the tenth are reached.
 * A name that matches no label offers to create it; "No label" unlabels.
 */
export function LabelPicker({
  open,
  labels,
  onClose,
  onPick,
}: {
  open: boolean;
  labels: LabelInfo[];
  onClose(): void;
  onPick(choice: { labelId: number | null } | { create: string }): void;
}) {
  const t = useT();
  return (
    <Dialog open={open} title={t.dataset.picker.title} onClose={onClose}>
      {open && <PickerBody labels={labels} onPick={onPick} />}
    </Dialog>
  );
}

function PickerBody({
  labels,
  onPick,
}: {
  labels: LabelInfo[];
  onPick(choice: { labelId: number | null } | { create: string }): void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const q = query.trim().toLowerCase();
  const matches = labels.filter((l) => l.name.toLowerCase().includes(q));
  matches.sort(
    (a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)),
  );
  const options: PickerOption[] = matches.map((label) => ({ kind: 'label', label }));
  if (q && !labels.some((l) => l.name.toLowerCase() === q))
    options.push({ kind: 'create', name: query.trim() });
  if (!q) options.push({ kind: 'none' });
  const current = Math.min(active, options.length - 1);
  const listRef = useRef<HTMLUListElement>(null);
  // Arrow keys and filtering move the active option: keep it in view in the scrolling list.
  useEffect(() => {
    const option = listRef.current?.children[current];
    if (option instanceof HTMLElement) option.scrollIntoView({ block: 'nearest' });
  }, [current, query]);
  /** Keys go by position in the project's label order (1–9, then 0), as the grid's digit keys do. */
  const position = new Map(labels.map((l, i) => [l.id, i]));
  const choose = (option: PickerOption | undefined) => {
    if (!option) return;
    if (option.kind === 'label') onPick({ labelId: option.label.id });
    else if (option.kind === 'none') onPick({ labelId: null });
    else onPick({ create: option.name });
  };
  const keys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + options.length) % options.length);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    choose(options[current]);
  };
  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <form className="label-picker" onSubmit={submit}>
      <input
        type="text"
        role="combobox"
        aria-label={t.dataset.picker.search}
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={options.length ? optionId(current) : undefined}
        placeholder={t.dataset.picker.placeholder}
        value={query}
        autoFocus
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={keys}
      />
      <p className="picker-count muted" aria-live="polite">
        {t.dataset.picker.matches(matches.length, labels.length)}
      </p>
      <ul
        ref={listRef}
        className="picker-options"
        role="listbox"
        id={listId}
        aria-label={t.dataset.picker.options}
      >
        {options.map((option, i) => (
          <li
            key={option.kind === 'label' ? option.label.id : option.kind}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={`picker-option${i === current ? ' active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(option)}
            onMouseMove={() => i !== current && setActive(i)}
          >
            {option.kind === 'label' ? (
              <>
                <span className="label-dot" style={{ background: option.label.color }} />
                <span className="picker-name">{option.label.name}</span>
                <PickerKey label={option.label} position={position} />
              </>
            ) : option.kind === 'create' ? (
              <span className="picker-name">{t.dataset.picker.create(option.name)}</span>
            ) : (
              <span className="picker-name muted">{t.dataset.picker.none}</span>
            )}
          </li>
        ))}
      </ul>
    </form>
  );
}

function PickerKey({ label, position }: { label: LabelInfo; position: ReadonlyMap<number, number> }) {
  const key = keyForLabelIndex(position.get(label.id) ?? -1);
  return key === null ? null : <kbd className="label-key">{key}</kbd>;
}

/** Asks which label `source` merges into. */
export function MergeDialog({
  source,
  labels,
  onClose,
  onMerge,
}: {
  source: LabelInfo | null;
  labels: LabelInfo[];
  onClose(): void;
  onMerge(source: LabelInfo, targetId: number): void;
}) {
  const t = useT();
  const others = source ? labels.filter((l) => l.id !== source.id) : [];
  const [target, setTarget] = useState<number | null>(null);
  const selectId = useId();
  const chosen = others.some((l) => l.id === target) ? target : (others[0]?.id ?? null);
  return (
    <Dialog open={source !== null} title={source ? t.dataset.mergeTitle(source.name) : ''} onClose={onClose}>
      {source && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen !== null) onMerge(source, chosen);
          }}
        >
          <p className="dialog-text">{t.dataset.mergeBody}</p>
          <div className="field">
            <label htmlFor={selectId}>{t.dataset.mergeTarget}</label>
            <select
              id={selectId}
              className="select"
              value={chosen ?? ''}
              onChange={(e) => setTarget(Number(e.target.value))}
              autoFocus
            >
              {others.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({l.imageCount})
                </option>
              ))}
            </select>
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t.dataset.cancel}
            </button>
            <button type="submit" className="button primary" disabled={chosen === null}>
              {t.dataset.mergeConfirm}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** Confirms deleting a label (its images become unlabeled; undoable). */
export function DeleteLabelDialog({
  label,
  onClose,
  onDelete,
}: {
  label: LabelInfo | null;
  onClose(): void;
  onDelete(label: LabelInfo): void;
}) {
  const t = useT();
  const bodyId = useId();
  return (
    <Dialog
      open={label !== null}
      role="alertdialog"
      title={label ? t.dataset.deleteTitle(label.name) : ''}
      onClose={onClose}
      describedBy={bodyId}
    >
      {label && (
        <>
          <p className="dialog-text" id={bodyId}>
            {t.dataset.deleteBody(label.imageCount)}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose} autoFocus>
              {t.dataset.cancel}
            </button>
            <button type="button" className="button danger" onClick={() => onDelete(label)}>
              {t.dataset.deleteConfirm}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
