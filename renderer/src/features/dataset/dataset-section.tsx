import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { ImageFilter, ImageSortKey, LabelInfo, SplitName } from '../../../../app/domain/dataset';
import { SPLIT_NAMES } from '../../../../app/domain/dataset';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { ImagesIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import './dataset.css';
import { pathsForDrop, useWindowDrop } from './drop';
import { ExportPanel, HealthPanel } from './health-panel';
import { ImageGrid, type GridHandle } from './image-grid';
import { ImagePager } from './image-pager';
import { ImageViewer } from './image-viewer';
import { ImportForm, ImportStatusPanel, useImport } from './import-panel';
import { DeleteLabelDialog, LabelPicker, MergeDialog } from './label-dialogs';
import { LabelPanel } from './label-panel';
import { DatasetMapView } from './map/dataset-map-view';
import { SuggestionFilters } from './suggestions/suggestion-filters';
import { SuggestionsBar } from './suggestions/suggestions-bar';
import { acceptedText, leavesFilter, suggestionTargets } from './suggestions/suggestions-model';
import { useSuggestions } from './suggestions/use-suggestions';
import { useMisclassified } from './use-misclassified';
import { useDatasetChanged, useDatasetMeta, useMediaBase } from './use-dataset';
import { WebcamPanel } from './webcam-panel';

type SidePanel = 'health' | 'export' | 'camera' | null;

interface Notice {
  text: string;
  undo?: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The Dataset section: import (path field or drag and drop) with progress and summary, the labels side panel,
 * the virtualised thumbnail grid with mouse and keyboard selection and labeling, undo/redo, the image view, and
 * the splits & health and export panels.
 */
export function DatasetSection({ project }: { project: ProjectSummary }) {
  const t = useT();
  const projectId = project.id;
  const mediaBase = useMediaBase();
  const meta = useDatasetMeta(projectId);
  const { labels, stats } = meta;

  const [filter, setFilter] = useState<ImageFilter>({ kind: 'all' });
  const [sort, setSort] = useState<ImageSortKey>('added');
  const [descending, setDescending] = useState(false);
  const [pager] = useState(() => new ImagePager({ projectId, filter, sort, descending }));
  const subscribe = useCallback((listener: () => void) => pager.subscribe(listener), [pager]);
  const version = useSyncExternalStore(subscribe, () => pager.version);
  const total = pager.total ?? 0;

  const [selection, setSelection] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState(-1);
  const anchor = useRef(-1);
  /** After labeling moved on to the next image: its id, so focus follows it once fresh data is there. */
  const pendingFocus = useRef<number | null>(null);
  const gridRef = useRef<GridHandle | null>(null);

  const [dataVersion, setDataVersion] = useState(0);
  const [panel, setPanel] = useState<SidePanel>(null);
  /** The images as the thumbnail grid or as the dataset map (issue 11); both share the selection and keys. */
  const [view, setView] = useState<'grid' | 'map'>('grid');
  const [picker, setPicker] = useState(false);
  const [viewerIndex, setViewerIndex] = useState<number | null>(null);
  const [merging, setMerging] = useState<LabelInfo | null>(null);
  const [deleting, setDeleting] = useState<LabelInfo | null>(null);
  const [actionError, setActionError] = useState<{ context: string; error: AppError } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const reloadMeta = meta.reload;
  const refresh = useCallback(() => {
    pager.invalidate();
    reloadMeta();
    setDataVersion((v) => v + 1);
  }, [pager, reloadMeta]);
  useDatasetChanged(projectId, refresh);
  const imp = useImport(projectId, refresh);
  const misclassified = useMisclassified(projectId, dataVersion);
  const suggestions = useSuggestions(projectId, refresh);
  // The model went away (its run deleted) while its filter was on: back to all images.
  if (misclassified === null && filter.kind === 'misclassified') setFilter({ kind: 'all' });

  // The query follows the filter and order; selection and focus start over.
  useEffect(() => {
    const q = pager.currentQuery;
    if (q.filter === filter && q.sort === sort && q.descending === descending) return;
    pager.setQuery({ projectId, filter, sort, descending });
  }, [pager, projectId, filter, sort, descending]);

  const changeFilter = (next: ImageFilter) => {
    setFilter(next);
    setSelection(new Set());
    setFocus(-1);
    anchor.current = -1;
  };

  // Focus follows the image labeling moved on to, wherever the fresh data puts it (sort by label moves images).
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

  // Short notices fade after a while.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  // ------------------------------------------------------------ actions

  const fail = (context: string, error: AppError) => setActionError({ context, error });

  const targetIds = (): number[] => {
    if (selection.size > 0) return [...selection];
    const focused = focus >= 0 ? pager.get(focus) : undefined;
    return focused ? [focused.id] : [];
  };

  // Labeling one image at a time: move on to the next one at once (before main answers), so fast typing
  // labels consecutive images. The next image is known now; focus follows it when the new order arrives.
  const moveOn = (ids: number[], labelId: number | null) => {
    const focused = focus >= 0 ? pager.get(focus) : undefined;
    const nextImage = focused ? pager.get(focus + 1) : undefined;
    if (ids.length === 1 && focused?.id === ids[0] && nextImage) {
      const next = leavesFilter(filter, labelId) ? focus : focus + 1;
      setSelection(new Set([nextImage.id]));
      setFocus(next);
      anchor.current = next;
      pendingFocus.current = nextImage.id;
    }
  };

  const assign = async (labelId: number | null, ids = targetIds(), advance = true) => {
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
  const acceptSuggestions = async (
    which: { imageIds: number[] } | { minConfidence: number; labelId?: number },
  ) => {
    const result = await call((api) => api.suggestions.accept({ projectId, ...which }));
    if (!result.ok) return fail(t.suggestions.actionFailed, result.error);
    setActionError(null);
    setNotice({ text: acceptedText(result.value, t.suggestions), undo: result.value.accepted > 0 });
    refresh();
  };

  /** Enter: accept the targeted images' suggestions; false when none has one (Enter then opens the image). */
  const acceptByKey = (): boolean => {
    const ids = suggestionTargets(targetIds(), (id) => pager.byId(id));
    if (ids.length === 0) return false;
    moveOn(ids, pager.byId(ids[0])?.suggestion?.labelId ?? null);
    void acceptSuggestions({ imageIds: ids });
    return true;
  };

  const assignByKey = (n: number) => {
    const label = labels[n - 1];
    if (label) void assign(label.id);
  };

  const removeOrRestore = async () => {
    const ids = targetIds();
    if (ids.length === 0) return;
    const restoring = filter.kind === 'removed';
    const result = await call((api) =>
      restoring
        ? api.dataset.restoreImages({ projectId, imageIds: ids })
        : api.dataset.removeImages({ projectId, imageIds: ids }),
    );
    if (!result.ok) return fail(t.dataset.actionFailed, result.error);
    setActionError(null);
    setSelection(new Set());
    setNotice({
      text: restoring
        ? t.dataset.restoredToast(result.value.changed)
        : t.dataset.removedToast(result.value.changed),
      undo: true,
    });
    refresh();
  };

  const moveToSplit = async (split: SplitName | null) => {
    const ids = targetIds();
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
      const what = 'undone' in v ? v.undone : 'redone' in v ? v.redone : null;
      if (what) setNotice({ text: which === 'undo' ? t.dataset.undone(what) : t.dataset.redone(what) });
      refresh();
    },
    [projectId, refresh, t],
  );

  // Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y anywhere in the section, except while typing or in a dialog.
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

  // ------------------------------------------------------------ selection

  const selectRange = async (from: number, to: number, add: boolean) => {
    const [a, b] = from <= to ? [from, to] : [to, from];
    try {
      const ids = await pager.idsInRange(Math.max(0, a), b + 1);
      setSelection((current) => new Set(add ? [...current, ...ids] : ids));
    } catch (error) {
      fail(t.dataset.loadFailed, { code: 'internal', message: String(error) });
    }
  };

  const selectOnly = (index: number) => {
    const image = pager.get(index);
    if (image) setSelection(new Set([image.id]));
    else void selectRange(index, index, false);
  };

  const onCellPointer = (index: number, event: MouseEvent) => {
    const image = pager.get(index);
    const toggle = event.ctrlKey || event.metaKey;
    if (event.shiftKey && anchor.current >= 0) {
      void selectRange(anchor.current, index, toggle);
    } else if (toggle) {
      if (image) {
        setSelection((current) => {
          const next = new Set(current);
          if (next.has(image.id)) next.delete(image.id);
          else next.add(image.id);
          return next;
        });
      }
      anchor.current = index;
    } else {
      selectOnly(index);
      anchor.current = index;
    }
    pendingFocus.current = null;
    setFocus(index);
  };

  const moveFocus = (next: number, shift: boolean, ctrl: boolean) => {
    const clamped = Math.max(0, Math.min(total - 1, next));
    pendingFocus.current = null;
    setFocus(clamped);
    if (shift) {
      if (anchor.current < 0) anchor.current = focus >= 0 ? focus : clamped;
      void selectRange(anchor.current, clamped, false);
    } else if (!ctrl) {
      anchor.current = clamped;
      selectOnly(clamped);
    }
  };

  const selectAll = async () => {
    try {
      const ids = await pager.allIds();
      setSelection(new Set(ids));
    } catch (error) {
      fail(t.dataset.loadFailed, { code: 'internal', message: String(error) });
    }
  };

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const cols = gridRef.current?.columns ?? 1;
    const page = cols * (gridRef.current?.visibleRows ?? 1);
    const mod = event.ctrlKey || event.metaKey;
    const at = focus < 0 ? -1 : focus;
    const key = event.key;
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at < 0 ? 0 : at - 1,
      ArrowDown: at < 0 ? 0 : at + cols,
      ArrowUp: at < 0 ? 0 : at - cols,
      PageDown: at + page,
      PageUp: at - page,
      Home: mod ? 0 : Math.max(0, at - (at % cols)),
      End: mod ? total - 1 : Math.min(total - 1, at - (at % cols) + cols - 1),
    };
    if (key in moves) {
      event.preventDefault();
      moveFocus(moves[key], event.shiftKey, mod);
      return;
    }
    if (event.altKey) return;
    if (mod && key.toLowerCase() === 'a') {
      event.preventDefault();
      void selectAll();
    } else if ((mod && key.toLowerCase() === 'k') || (!mod && key.toLowerCase() === 'l')) {
      event.preventDefault();
      if (targetIds().length > 0) setPicker(true);
    } else if (!mod && /^[1-9]$/.test(key)) {
      event.preventDefault();
      assignByKey(Number(key));
    } else if (!mod && key === '0') {
      event.preventDefault();
      void assign(null);
    } else if (key === 'Enter' && (at >= 0 || selection.size > 0)) {
      event.preventDefault();
      if (!acceptByKey() && at >= 0) setViewerIndex(at);
    } else if (key === 'Delete' || key === 'Backspace') {
      event.preventDefault();
      void removeOrRestore();
    } else if (key === 'Escape' && selection.size > 0) {
      event.preventDefault();
      setSelection(new Set());
    } else if (key === ' ' && at >= 0) {
      event.preventDefault();
      const image = pager.get(at);
      if (!image) return;
      anchor.current = at;
      setSelection((current) => {
        const next = new Set(current);
        if (next.has(image.id)) next.delete(image.id);
        else next.add(image.id);
        return next;
      });
    }
  };

  // ------------------------------------------------------------ labels

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

  const createLabel = (name: string) => labelCall((api) => api.labels.create({ projectId, name }));

  const onPick = async (choice: { labelId: number | null } | { create: string }) => {
    setPicker(false);
    if ('create' in choice) {
      const result = await call((api) => api.labels.create({ projectId, name: choice.create }));
      if (!result.ok) return fail(t.dataset.labelFailed, result.error);
      await assign(result.value.id);
    } else await assign(choice.labelId);
    gridRef.current?.focus();
  };

  // ------------------------------------------------------------ drop

  const dragging = useWindowDrop((files) => {
    void pathsForDrop(files).then((paths) => {
      if (paths.length === 0) setNotice({ text: t.dataset.dropNoPaths });
      else void imp.start(paths);
    });
  });

  // ------------------------------------------------------------ render

  const empty = stats !== null && stats.total === 0 && stats.removed === 0 && labels.length === 0;
  const viewerImage = viewerIndex !== null ? (pager.get(viewerIndex) ?? null) : null;
  const dropOverlay = dragging && (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <ImagesIcon width={32} height={32} />
        <span>{t.dataset.dropHere}</span>
      </div>
    </div>
  );

  if (empty) {
    return (
      <div className="dataset dataset-empty">
        <ImportStatusPanel state={imp} />
        <EmptyState
          icon={<ImagesIcon width={28} height={28} />}
          title={t.empty.dataset.title}
          actions={<ImportForm state={imp} />}
        >
          {t.empty.dataset.body}
        </EmptyState>
        {dropOverlay}
      </div>
    );
  }

  const undoState = meta.undo;
  const restoring = filter.kind === 'removed';
  return (
    <div className={`dataset${panel ? ' with-panel' : ''}`}>
      <div className="dataset-toolbar">
        <ImportForm state={imp} compact />
        <div className="sort-controls">
          <label className="toolbar-field">
            <span>{t.dataset.sortLabel}</span>
            <select className="select" value={sort} onChange={(e) => setSort(e.target.value as ImageSortKey)}>
              {(['added', 'name', 'label', 'confidence'] as const).map((s) => (
                <option key={s} value={s}>
                  {t.dataset.sort[s]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="icon-button sort-direction"
            aria-pressed={descending}
            aria-label={t.dataset.descending}
            title={t.dataset.descending}
            onClick={() => setDescending(!descending)}
          >
            {descending ? '↓' : '↑'}
          </button>
        </div>
        <div className="toolbar-group">
          <button
            type="button"
            className="button small icon-text"
            aria-label={t.dataset.undo}
            disabled={!undoState?.canUndo}
            title={
              undoState?.undoDescription
                ? t.dataset.undoWhat(undoState.undoDescription)
                : t.dataset.nothingToUndo
            }
            onClick={() => void undoRedo('undo')}
          >
            <span aria-hidden="true">↶</span>
          </button>
          <button
            type="button"
            className="button small icon-text"
            aria-label={t.dataset.redo}
            disabled={!undoState?.canRedo}
            title={
              undoState?.redoDescription
                ? t.dataset.redoWhat(undoState.redoDescription)
                : t.dataset.nothingToRedo
            }
            onClick={() => void undoRedo('redo')}
          >
            <span aria-hidden="true">↷</span>
          </button>
        </div>
        <div className="toolbar-group" role="group" aria-label={t.dataset.view.label}>
          {(['grid', 'map'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className="button small"
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t.dataset.view[v]}
            </button>
          ))}
        </div>
        <div className="toolbar-group toolbar-end">
          <button
            type="button"
            className="button small"
            aria-pressed={panel === 'health'}
            onClick={() => setPanel(panel === 'health' ? null : 'health')}
          >
            {t.dataset.panels.toggleHealth}
          </button>
          <button
            type="button"
            className="button small"
            aria-pressed={panel === 'camera'}
            onClick={() => setPanel(panel === 'camera' ? null : 'camera')}
          >
            {t.dataset.camera.toggle}
          </button>
          <button
            type="button"
            className="button small"
            aria-pressed={panel === 'export'}
            onClick={() => setPanel(panel === 'export' ? null : 'export')}
          >
            {t.dataset.panels.toggleExport}
          </button>
        </div>
      </div>

      <div className="dataset-messages">
        <ImportStatusPanel state={imp} />
        {meta.error && <ErrorMessage error={meta.error} context={t.dataset.loadFailed} />}
        {pager.error && <ErrorMessage error={pager.error} context={t.dataset.loadFailed} />}
        {actionError && <ErrorMessage error={actionError.error} context={actionError.context} />}
      </div>

      <LabelPanel
        labels={labels}
        stats={stats}
        misclassified={misclassified}
        filter={filter}
        onFilter={changeFilter}
        onCreate={createLabel}
        onRename={(label, name) =>
          labelCall((api) => api.labels.rename({ projectId, labelId: label.id, name }))
        }
        onColor={(label, color) =>
          void labelCall((api) => api.labels.setColor({ projectId, labelId: label.id, color }))
        }
        onMerge={setMerging}
        onDelete={setDeleting}
      >
        {(suggestions.status?.count ?? 0) > 0 && (
          <SuggestionFilters
            projectId={projectId}
            version={`${dataVersion}:${suggestions.status?.computedAt}`}
            labels={labels}
            filter={filter}
            sort={sort}
            descending={descending}
            onQuery={(q) => {
              changeFilter(q.filter);
              if (q.sort) setSort(q.sort);
              if (q.descending !== undefined) setDescending(q.descending);
            }}
          />
        )}
      </LabelPanel>

      <div className="dataset-main">
        <SuggestionsBar
          projectId={projectId}
          suggestions={suggestions}
          unlabeled={stats?.unlabeled ?? 0}
          labelFilter={
            filter.kind === 'suggested' ? (labels.find((l) => l.id === filter.labelId) ?? null) : null
          }
          onAcceptAll={(minConfidence, labelId) => void acceptSuggestions({ minConfidence, labelId })}
        />
        <div className={`selection-bar${selection.size > 0 ? ' active' : ''}`}>
          <span className="selection-count" role="status">
            {selection.size > 0 ? t.dataset.selected(selection.size) : t.dataset.count(total)}
          </span>
          {selection.size > 0 && (
            <>
              {!restoring && (
                <>
                  <button type="button" className="button small" onClick={() => setPicker(true)}>
                    {t.dataset.labelAs}
                  </button>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => void assign(null, undefined, false)}
                  >
                    {t.dataset.unlabel}
                  </button>
                  <select
                    className="select"
                    value=""
                    aria-label={t.dataset.moveToSplit}
                    onChange={(e) => {
                      const v = e.target.value;
                      if (v) void moveToSplit(v === 'auto' ? null : (v as SplitName));
                    }}
                  >
                    <option value="">{t.dataset.moveToSplit}…</option>
                    {SPLIT_NAMES.map((s) => (
                      <option key={s} value={s}>
                        {t.dataset.splits[s]}
                      </option>
                    ))}
                    <option value="auto">{t.dataset.autoSplit}</option>
                  </select>
                </>
              )}
              <button type="button" className="button small" onClick={() => void removeOrRestore()}>
                {restoring ? t.dataset.restore : t.dataset.remove}
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t.dataset.clearSelection}
                title={t.dataset.clearSelection}
                onClick={() => setSelection(new Set())}
              >
                ×
              </button>
            </>
          )}
        </div>
        {view === 'map' ? (
          <DatasetMapView
            projectId={projectId}
            labels={labels}
            dataVersion={dataVersion}
            mediaBase={mediaBase}
            selection={selection}
            onSelectionChange={setSelection}
            onKeyDown={onGridKey}
          />
        ) : pager.total === 0 ? (
          <p className="grid-empty">{t.dataset.noMatches}</p>
        ) : (
          <ImageGrid
            pager={pager}
            version={version}
            projectId={projectId}
            mediaBase={mediaBase}
            labels={labels}
            focusIndex={focus}
            selection={selection}
            onCellPointer={onCellPointer}
            onOpen={(index) => setViewerIndex(index)}
            onKeyDown={onGridKey}
            onFocus={() => {
              // Tabbing into the grid puts the focus on its first image (without selecting it).
              if (focus < 0 && total > 0) setFocus(0);
            }}
            handleRef={gridRef}
            label={t.dataset.gridLabel}
          />
        )}
        <p className="shortcuts muted">{t.dataset.shortcuts}</p>
        {notice && (
          <div className="toast" role="status">
            <span>{notice.text}</span>
            {notice.undo && (
              <button
                type="button"
                className="button small"
                onClick={() => void undoRedo('undo').then(() => setNotice(null))}
              >
                {t.dataset.undo}
              </button>
            )}
          </div>
        )}
      </div>

      {panel && (
        <aside
          className="side-panel"
          aria-label={
            panel === 'health'
              ? t.dataset.panels.toggleHealth
              : panel === 'camera'
                ? t.dataset.camera.toggle
                : t.dataset.panels.toggleExport
          }
        >
          <div className="side-panel-head">
            <h2>
              {panel === 'health'
                ? t.dataset.panels.toggleHealth
                : panel === 'camera'
                  ? t.dataset.camera.title
                  : t.dataset.exporter.title}
            </h2>
            <button
              type="button"
              className="icon-button"
              aria-label={t.dataset.panels.close}
              onClick={() => setPanel(null)}
            >
              ×
            </button>
          </div>
          {panel === 'health' ? (
            <HealthPanel
              projectId={projectId}
              stats={stats}
              version={dataVersion}
              onSelectImages={(ids) => {
                setFilter({ kind: 'all' });
                setSelection(new Set(ids));
                setFocus(-1);
                anchor.current = -1;
              }}
            />
          ) : panel === 'camera' ? (
            <WebcamPanel projectId={projectId} labels={labels} />
          ) : (
            <ExportPanel projectId={projectId} />
          )}
        </aside>
      )}

      <LabelPicker
        open={picker}
        labels={labels}
        onClose={() => {
          setPicker(false);
          gridRef.current?.focus();
        }}
        onPick={(choice) => void onPick(choice)}
      />
      <ImageViewer
        projectId={projectId}
        image={viewerImage}
        version={dataVersion}
        mediaBase={mediaBase}
        labels={labels}
        onClose={() => {
          setViewerIndex(null);
          gridRef.current?.focus();
        }}
        onStep={(delta) => {
          if (viewerIndex === null) return;
          const next = Math.max(0, Math.min(total - 1, viewerIndex + delta));
          setViewerIndex(next);
          setFocus(next);
          anchor.current = next;
          selectOnly(next);
        }}
        onAssign={(imageId, labelId) => void assign(labelId, [imageId], false)}
        onAcceptSuggestion={(imageId) => void acceptSuggestions({ imageIds: [imageId] })}
      />
      <MergeDialog
        source={merging}
        labels={labels}
        onClose={() => setMerging(null)}
        onMerge={(source, targetId) => {
          setMerging(null);
          void labelCall((api) => api.labels.merge({ projectId, sourceIds: [source.id], targetId }));
        }}
      />
      <DeleteLabelDialog
        label={deleting}
        onClose={() => setDeleting(null)}
        onDelete={(label) => {
          setDeleting(null);
          if (filter.kind === 'label' && filter.labelId === label.id) changeFilter({ kind: 'all' });
          void labelCall((api) => api.labels.delete({ projectId, labelId: label.id }));
        }}
      />
      {dropOverlay}
    </div>
  );
}
