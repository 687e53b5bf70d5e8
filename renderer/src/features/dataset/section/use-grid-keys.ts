import { useEffect, type KeyboardEvent } from 'react';
import type { GridHandle } from '../image-grid';
import { isMoveKey, labelIndexForKey, moveTarget } from './grid-navigation';
import type { DatasetActions } from './use-dataset-actions';
import type { GridSelection } from './use-grid-selection';

/** The key that removes the label from the targeted images (0 is the tenth label's key). */
export const UNLABEL_KEY = 'u';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y anywhere in the section, except while typing or in a dialog (a text field's own
 * undo wins there).
 */
export function useUndoKeys(undoRedo: (which: 'undo' | 'redo') => Promise<void>) {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const key = event.key.toLowerCase();
      if (key === 'z') {
        event.preventDefault();
        void undoRedo(event.shiftKey ? 'redo' : 'undo');
      } else if (key === 'y') {
        event.preventDefault();
        void undoRedo('redo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undoRedo]);
}

/**
 * The grid's (and the map's) keyboard: arrows/Page/Home/End move the focus (Shift extends, Ctrl moves without
 * selecting), Ctrl+A selects all, L or Ctrl+K opens the picker, 1–9 and 0 assign the first ten labels, U unlabels,
 * Enter accepts a suggestion or opens the image, Delete/Backspace removes (restores in Removed), Escape clears
 * the selection, Space toggles the focused image.
 */
export function useGridKeys({
  total,
  grid,
  sel,
  actions,
  openPicker,
  openViewer,
}: {
  total: number;
  grid: { current: GridHandle | null };
  sel: GridSelection;
  actions: DatasetActions;
  openPicker(): void;
  openViewer(index: number): void;
}) {
  return (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    const at = sel.focus;
    if (isMoveKey(key)) {
      event.preventDefault();
      const shape = {
        total,
        columns: grid.current?.columns ?? 1,
        visibleRows: grid.current?.visibleRows ?? 1,
      };
      sel.moveFocus(moveTarget(key, at, shape, mod), event.shiftKey, mod);
      return;
    }
    if (event.altKey) return;
    const lower = key.toLowerCase();
    const labelIndex = mod ? null : labelIndexForKey(key);
    if (mod && lower === 'a') {
      event.preventDefault();
      void sel.selectAll();
    } else if ((mod && lower === 'k') || (!mod && lower === 'l')) {
      event.preventDefault();
      if (sel.targetIds().length > 0) openPicker();
    } else if (labelIndex !== null) {
      event.preventDefault();
      actions.assignLabelAt(labelIndex);
    } else if (!mod && lower === UNLABEL_KEY) {
      event.preventDefault();
      void actions.assign(null);
    } else if (key === 'Enter' && (at >= 0 || sel.selection.size > 0)) {
      event.preventDefault();
      if (!actions.acceptByKey() && at >= 0) openViewer(at);
    } else if (key === 'Delete' || key === 'Backspace') {
      event.preventDefault();
      void actions.removeOrRestore();
    } else if (key === 'Escape' && sel.selection.size > 0) {
      event.preventDefault();
      sel.setSelection(new Set());
    } else if (key === ' ' && at >= 0) {
      event.preventDefault();
      sel.toggleFocused();
    }
  };
}
