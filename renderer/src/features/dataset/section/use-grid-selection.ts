import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { AppError } from '../../../../../app/ipc/result';
import type { ImagePager } from '../image-pager';
import { clampIndex, selectionRange, toggled } from './grid-navigation';

export interface GridSelection {
  /** Why the last range or select-all query failed (main did not answer with the ids). */
  rangeError: AppError | null;
  selection: ReadonlySet<number>;
  setSelection(next: ReadonlySet<number>): void;
  /** Index of the focused cell, -1 for none. */
  focus: number;
  setFocus(index: number): void;
  /** Selection, focus and anchor start over (a new filter, a health "select these"). */
  reset(ids?: Iterable<number>): void;
  /** The images an action applies to: the selection, else the focused image. */
  targetIds(): number[];
  onCellPointer(index: number, event: MouseEvent): void;
  moveFocus(next: number, shift: boolean, ctrl: boolean): void;
  /** Space: toggles the focused image in the selection and anchors ranges there. */
  toggleFocused(): void;
  selectAll(): Promise<void>;
  selectOnly(index: number): void;
  /** Focus `index` and select just it (the image viewer stepping). */
  focusOnly(index: number): void;
  /**
   * Labeling moved on: select `nextId` now and focus `index`, and once fresh data arrives focus follows that
   * image wherever the new order puts it (sorting by label moves images).
   */
  followImage(index: number, nextId: number): void;
}

/**
 * Selection (image ids), focus and shift-range anchor (indices) of the grid. Ranges and Ctrl+A ask the pager for
 * ids, so they work on images that were never loaded; `rangeError` says when that failed.
 */
export function useGridSelection(pager: ImagePager, version: number): GridSelection {
  const [rangeError, setRangeError] = useState<AppError | null>(null);
  const onError = (error: unknown) => setRangeError({ code: 'internal', message: String(error) });
  const [selection, setSelection] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState(-1);
  const anchor = useRef(-1);
  /** After labeling moved on to the next image: its id, so focus follows it once fresh data is there. */
  const pendingFocus = useRef<number | null>(null);
  const total = pager.total ?? 0;

  useEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    const index = pager.indexOfFresh(id);
    if (index === null) return; // not loaded yet
    pendingFocus.current = null;
    if (index >= 0) {
      setFocus(index);
      anchor.current = index;
    }
  }, [pager, version]);

  const selectRange = async (from: number, to: number, add: boolean) => {
    const [start, end] = selectionRange(from, to);
    try {
      const ids = await pager.idsInRange(start, end);
      setRangeError(null);
      setSelection((current) => new Set(add ? [...current, ...ids] : ids));
    } catch (error) {
      onError(error);
    }
  };

  const selectOnly = (index: number) => {
    const image = pager.get(index);
    if (image) setSelection(new Set([image.id]));
    else void selectRange(index, index, false);
  };

  return {
    rangeError,
    selection,
    setSelection,
    focus,
    setFocus,
    reset(ids = []) {
      setSelection(new Set(ids));
      setFocus(-1);
      anchor.current = -1;
    },
    targetIds() {
      if (selection.size > 0) return [...selection];
      const focused = focus >= 0 ? pager.get(focus) : undefined;
      return focused ? [focused.id] : [];
    },
    onCellPointer(index, event) {
      const image = pager.get(index);
      const toggle = event.ctrlKey || event.metaKey;
      if (event.shiftKey && anchor.current >= 0) {
        void selectRange(anchor.current, index, toggle);
      } else if (toggle) {
        if (image) setSelection((current) => toggled(current, image.id));
        anchor.current = index;
      } else {
        selectOnly(index);
        anchor.current = index;
      }
      pendingFocus.current = null;
      setFocus(index);
    },
    moveFocus(next, shift, ctrl) {
      const clamped = clampIndex(next, total);
      pendingFocus.current = null;
      setFocus(clamped);
      if (shift) {
        if (anchor.current < 0) anchor.current = focus >= 0 ? focus : clamped;
        void selectRange(anchor.current, clamped, false);
      } else if (!ctrl) {
        anchor.current = clamped;
        selectOnly(clamped);
      }
    },
    toggleFocused() {
      const image = focus >= 0 ? pager.get(focus) : undefined;
      if (!image) return;
      anchor.current = focus;
      setSelection((current) => toggled(current, image.id));
    },
    async selectAll() {
      try {
        setSelection(new Set(await pager.allIds()));
      } catch (error) {
        onError(error);
      }
    },
    selectOnly,
    focusOnly(index) {
      setFocus(index);
      anchor.current = index;
      selectOnly(index);
    },
    followImage(index, nextId) {
      setSelection(new Set([nextId]));
      setFocus(index);
      anchor.current = index;
      pendingFocus.current = nextId;
    },
  };
}
