import { useCallback, useEffect, useState } from 'react';
import type { ImageFilter, LabelInfo, SplitName } from '../../../../../app/domain/dataset';
import type { AppError } from '../../../../../app/ipc/result';
import { call } from '../../../bridge/desktop';
import { useT } from '../../../i18n/i18n';
import type { ImagePager } from '../image-pager';
import { wordAction } from '../wording/actions';
import { acceptedText, leavesFilter, suggestionTargets } from '../suggestions/suggestions-model';
import { nextFocusAfterLabel } from './grid-navigation';
import type { GridSelection } from './use-grid-selection';

export interface Notice {
  text: string;
  /** Offers Undo (the notice reports an undoable change). */
  undo?: boolean;
}

export type AcceptRequest = { imageIds: number[] } | { minConfidence: number; labelId?: number };

/** How long a notice stays before it fades. */
const NOTICE_MS = 6000;

/**
 * What the Dataset section does to images and labels through main: assign (moving on to the next image at once),
 * accept suggestions, remove/restore, move to a split, label management, undo/redo; with the notice (toast) and
 * the last failure to show. Every successful change calls `refresh`.
 */
export function useDatasetActions({
  projectId,
  pager,
  labels,
  filter,
  sel,
  refresh,
}: {
  projectId: string;
  pager: ImagePager;
  labels: LabelInfo[];
  filter: ImageFilter;
  sel: GridSelection;
  refresh(): void;
}) {
  const t = useT();
  const [actionError, setActionError] = useState<{ context: string; error: AppError } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const fail = (context: string, error: AppError) => setActionError({ context, error });

  // Labeling one image at a time: move on to the next one at once (before main answers), so fast typing
  // labels consecutive images. The next image is known now; focus follows it when the new order arrives.
  const moveOn = (ids: number[], labelId: number | null) => {
    const { focus } = sel;
    const focused = focus >= 0 ? pager.get(focus) : undefined;
    const nextImage = focused ? pager.get(focus + 1) : undefined;
    if (ids.length !== 1 || focused?.id !== ids[0] || !nextImage) return;
    const next = nextFocusAfterLabel(focus, pager.total ?? 0, leavesFilter(filter, labelId));
    if (next !== null) sel.followImage(next, nextImage.id);
  };

  const assign = async (labelId: number | null, ids = sel.targetIds(), advance = true) => {
    if (ids.length === 0) return;
    if (advance) moveOn(ids, labelId);
    const result = await call((api) => api.labels.assign({ projectId, imageIds: ids, labelId }));
    if (!result.ok) return fail(t.dataset.actionFailed, result.error);
    setActionError(null);
    const name =
      labelId === null ? t.dataset.unlabeledBadge : (labels.find((l) => l.id === labelId)?.name ?? '');
    setNotice({ text: t.dataset.labeledToast(ids.length, name), undo: true });
    refresh();
  };

  /** Accepting suggestions is one undoable labeling action: the same toast with Undo. */
  const acceptSuggestions = async (which: AcceptRequest) => {
    const result = await call((api) => api.suggestions.accept({ projectId, ...which }));
    if (!result.ok) return fail(t.suggestions.actionFailed, result.error);
    setActionError(null);
    setNotice({ text: acceptedText(result.value, t.suggestions), undo: result.value.accepted > 0 });
    refresh();
  };

  /** Enter: accept the targeted images' suggestions; false when none has one (Enter then opens the image). */
  const acceptByKey = (): boolean => {
    const ids = suggestionTargets(sel.targetIds(), (id) => pager.byId(id));
    if (ids.length === 0) return false;
    moveOn(ids, pager.byId(ids[0])?.suggestion?.labelId ?? null);
    void acceptSuggestions({ imageIds: ids });
    return true;
  };

  /** A digit key: the label at that position (0-based), if there is one. */
  const assignLabelAt = (index: number) => {
    const label = labels[index];
    if (label) void assign(label.id);
  };

  const removeOrRestore = async () => {
    const ids = sel.targetIds();
    if (ids.length === 0) return;
    const restoring = filter.kind === 'removed';
    const result = await call((api) =>
      restoring
        ? api.dataset.restoreImages({ projectId, imageIds: ids })
        : api.dataset.removeImages({ projectId, imageIds: ids }),
    );
    if (!result.ok) return fail(t.dataset.actionFailed, result.error);
    setActionError(null);
    sel.setSelection(new Set());
    const changed = result.value.changed;
    setNotice({
      text: restoring ? t.dataset.restoredToast(changed) : t.dataset.removedToast(changed),
      undo: true,
    });
    refresh();
  };

  const moveToSplit = async (split: SplitName | null) => {
    const ids = sel.targetIds();
    if (ids.length === 0) return;
    const result = await call((api) => api.dataset.setSplit({ projectId, imageIds: ids, split }));
    if (!result.ok) return fail(t.dataset.actionFailed, result.error);
    setActionError(null);
    refresh();
  };

  const undoRedo = useCallback(
    async (which: 'undo' | 'redo') => {
      const result =
        which === 'undo'
          ? await call((api) => api.dataset.undo({ projectId }))
          : await call((api) => api.dataset.redo({ projectId }));
      if (!result.ok) return setActionError({ context: t.dataset.actionFailed, error: result.error });
      const v = result.value;
      // Worded from main's data in the user's language; main's own text only for an action it could not describe.
      const action = 'undoneAction' in v ? v.undoneAction : 'redoneAction' in v ? v.redoneAction : null;
      const legacy = 'undone' in v ? v.undone : 'redone' in v ? v.redone : null;
      const what = action ? wordAction(t, action) : legacy;
      if (what) setNotice({ text: which === 'undo' ? t.dataset.undone(what) : t.dataset.redone(what) });
      refresh();
    },
    [projectId, refresh, t],
  );

  /** A label-management call (create, rename, colour, merge, delete): true when it succeeded. */
  const labelCall = async (request: Parameters<typeof call>[0]): Promise<boolean> => {
    const result = await call(request);
    if (!result.ok) {
      fail(t.dataset.labelFailed, result.error);
      return false;
    }
    setActionError(null);
    refresh();
    return true;
  };

  /** The picker's choice: a label, no label, or a new label created and then assigned. */
  const pick = async (choice: { labelId: number | null } | { create: string }) => {
    if ('create' in choice) {
      const result = await call((api) => api.labels.create({ projectId, name: choice.create }));
      if (!result.ok) return fail(t.dataset.labelFailed, result.error);
      await assign(result.value.id);
    } else await assign(choice.labelId);
  };

  return {
    actionError,
    notice,
    setNotice,
    fail,
    assign,
    assignLabelAt,
    acceptSuggestions,
    acceptByKey,
    removeOrRestore,
    moveToSplit,
    undoRedo,
    labelCall,
    pick,
  };
}

export type DatasetActions = ReturnType<typeof useDatasetActions>;
