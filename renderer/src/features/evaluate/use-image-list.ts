import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import type { ImagePrediction } from '../../../../app/domain/training';
import { indexAfterRemoval, listKeyAction, type ListKeyAction } from './evaluation-model';
import { usePredictions, type PredictionQuery } from './use-evaluation';

/** Relabels one image; resolves true when main accepted it. */
export type Relabel = (image: ImagePrediction, fileName: string, label: LabelInfo) => Promise<boolean>;

/** Relabels a listed image as `label` (nothing when it is missing or the image's label already). */
export type RelabelItem = (
  item: ImagePrediction,
  index: number,
  label: LabelInfo | undefined,
  keyboard: boolean,
) => void;

/**
 * A keyboard list of predicted images (the cell panel, the likely-mislabeled list): one item in the tab order,
 * arrows move, and an image relabeled out of the list disappears at once (before main answers), so fast key
 * presses act on the next image. Hidden images stay hidden while their relabel is in flight; the next answer
 * from main after it decides.
 */
export function useImageList(
  predictions: ImagePrediction[] | null,
  listRef: RefObject<HTMLUListElement | null>,
  options: { accept: boolean; onAction(action: ListKeyAction, item: ImagePrediction, index: number): void },
) {
  /** imageId → true while its relabel is in flight. */
  const [gone, setGone] = useState<ReadonlyMap<number, boolean>>(() => new Map());
  const [seen, setSeen] = useState(predictions);
  if (seen !== predictions) {
    // Fresh predictions: forget the hidden images whose relabel has finished (the answer reflects it).
    setSeen(predictions);
    setGone((current) => new Map([...current].filter(([, pending]) => pending)));
  }
  const items = (predictions ?? []).filter((p) => !gone.has(p.imageId));
  const [focus, setFocus] = useState(0);
  const at = Math.max(0, Math.min(items.length - 1, focus));
  /** Set by keyboard moves and removals: DOM focus follows to the item once it is rendered. */
  const focusPending = useRef(false);
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${at}"]`)?.focus();
  });

  const moveTo = useCallback((index: number) => {
    setFocus(index);
    focusPending.current = true;
  }, []);

  /** Hides an image until `done` settles and fresh predictions arrive; focus goes to the one taking its place. */
  const hide = useCallback(
    (imageId: number, index: number, done: Promise<unknown>, keyboard: boolean) => {
      setGone((current) => new Map(current).set(imageId, true));
      setFocus(indexAfterRemoval(index, items.length - 1));
      if (keyboard) focusPending.current = true;
      void done.finally(() =>
        setGone((current) => (current.has(imageId) ? new Map(current).set(imageId, false) : current)),
      );
    },
    [items.length],
  );

  /** Shows an image again (its relabel failed). */
  const unhide = useCallback((imageId: number) => {
    setGone((current) => {
      const next = new Map(current);
      next.delete(imageId);
      return next;
    });
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    // The label menu keeps its own keys; a focused button keeps Enter and Space.
    if (target.tagName === 'SELECT') return;
    if (target.tagName === 'BUTTON' && (event.key === 'Enter' || event.key === ' ')) return;
    const item = items[at];
    const action = listKeyAction(event, at, items.length, { accept: options.accept });
    if (!action || !item) return;
    event.preventDefault();
    if (action.kind === 'move') moveTo(action.to);
    else options.onAction(action, item, at);
  };

  return { items, at, setFocus, onKeyDown, hide, unhide, moveTo };
}

/**
 * The predictions of one query as a keyboard image list (useImageList) whose images relabel in place: a relabeled
 * image leaves the list at once and comes back when main refuses the relabel. `onAction` gets the list's key
 * actions other than moves, with `relabel` to act on them.
 */
export function useRelabelList(
  projectId: string,
  runId: string,
  query: PredictionQuery,
  version: number,
  onRelabel: Relabel,
  options: {
    accept: boolean;
    onAction(action: ListKeyAction, item: ImagePrediction, index: number, relabel: RelabelItem): void;
  },
) {
  const fetched = usePredictions(projectId, runId, query, version);
  const key = JSON.stringify([projectId, runId, query]);
  const predictions = fetched.key === key ? fetched.value : null;

  const relabel: RelabelItem = (item, index, label, keyboard) => {
    if (!label || label.name === item.label) return;
    const done = onRelabel(item, item.fileName, label).then((ok) => {
      if (!ok) list.unhide(item.imageId);
      return ok;
    });
    list.hide(item.imageId, index, done, keyboard);
  };

  const listRef = useRef<HTMLUListElement>(null);
  const list = useImageList(predictions, listRef, {
    accept: options.accept,
    onAction: (action, item, index) => options.onAction(action, item, index, relabel),
  });
  /** Whether `fetched` (its error, its loading) is about this query rather than an earlier one. */
  const current = fetched.key === key;
  return { fetched, current, predictions, listRef, list, relabel };
}
