import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ImageFilter, ImageSortKey, LabelInfo } from '../../../../app/domain/dataset';
import type { ProjectSummary } from '../../../../app/domain/project';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { ImagesIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import './dataset.css';
import './image-viewer.css';
import './import-panel.css';
import { pathsForDrop, useWindowDrop } from './drop';
import { ImageGrid, type GridHandle } from './image-grid';
import { ImagePager } from './image-pager';
import { ImageViewer } from './image-viewer';
import { ImportForm, ImportStatusPanel, useImport } from './import-panel';
import { DeleteLabelDialog, LabelPicker, MergeDialog } from './label-dialogs';
import { LabelPanel } from './label-panel';
import { DatasetMapView } from './map/dataset-map-view';
import { DatasetSidePanel } from './section/dataset-side-panel';
import { DatasetToolbar, type DatasetView, type SidePanel } from './section/dataset-toolbar';
import { SelectionBar } from './section/selection-bar';
import { ShortcutHint } from './section/shortcut-hint';
import { CELL_MIN, useThumbSize } from './section/thumb-size';
import { useDatasetActions } from './section/use-dataset-actions';
import { useGridKeys, useUndoKeys } from './section/use-grid-keys';
import { useGridSelection } from './section/use-grid-selection';
import { SuggestionFilters } from './suggestions/suggestion-filters';
import { SuggestionsBar } from './suggestions/suggestions-bar';
import { useSuggestions } from './suggestions/use-suggestions';
import { useDatasetChanged, useDatasetMeta, useMediaBase } from './use-dataset';
import { useMisclassified } from './use-misclassified';

/** Window width (CSS px) up to which the labels panel starts folded (matches dataset.css's narrow breakpoint). */
const NARROW_WINDOW = 900;

/**
 * The Dataset section: composes the toolbar, the labels panel, the grid (or map) with its selection bar, the side
 * panels and the dialogs. Selection lives in useGridSelection, what changes data in useDatasetActions, keys in
 * useGridKeys; this function only wires them together.
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
  const gridRef = useRef<GridHandle | null>(null);

  const [dataVersion, setDataVersion] = useState(0);
  const [panel, setPanel] = useState<SidePanel | null>(null);
  /** The images as the thumbnail grid or as the dataset map (issue 11); both share the selection and keys. */
  const [view, setView] = useState<DatasetView>('grid');
  const [thumbSize, setThumbSize] = useThumbSize(projectId, project.inputSize);
  // Narrow windows start with the labels panel folded to its keys, so the grid gets the width.
  const [labelsCollapsed, setLabelsCollapsed] = useState(() => window.innerWidth <= NARROW_WINDOW);
  const [picker, setPicker] = useState(false);
  const [viewerIndex, setViewerIndex] = useState<number | null>(null);
  const [merging, setMerging] = useState<LabelInfo | null>(null);
  const [deleting, setDeleting] = useState<LabelInfo | null>(null);

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

  const sel = useGridSelection(pager, version);
  const actions = useDatasetActions({ projectId, pager, labels, filter, sel, refresh });
  useUndoKeys(actions.undoRedo);
  const onGridKey = useGridKeys({
    total,
    grid: gridRef,
    sel,
    actions,
    openPicker: () => setPicker(true),
    openViewer: setViewerIndex,
  });

  // The query follows the filter and order; selection and focus start over.
  useEffect(() => {
    const q = pager.currentQuery;
    if (q.filter === filter && q.sort === sort && q.descending === descending) return;
    pager.setQuery({ projectId, filter, sort, descending });
  }, [pager, projectId, filter, sort, descending]);

  const changeFilter = (next: ImageFilter) => {
    setFilter(next);
    sel.reset();
  };
  const focusGrid = () => gridRef.current?.focus();

  const dragging = useWindowDrop((files) => {
    void pathsForDrop(files).then((paths) => {
      if (paths.length === 0) actions.setNotice({ text: t.dataset.dropNoPaths });
      else void imp.start(paths);
    });
  });
  const dropOverlay = dragging && (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <ImagesIcon width={32} height={32} />
        <span>{t.dataset.dropHere}</span>
      </div>
    </div>
  );

  if (stats !== null && stats.total === 0 && stats.removed === 0 && labels.length === 0) {
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

  const { notice, actionError } = actions;
  return (
    <div className={`dataset${panel ? ' with-panel' : ''}${labelsCollapsed ? ' labels-collapsed' : ''}`}>
      <DatasetToolbar
        imp={imp}
        sort={sort}
        onSort={setSort}
        descending={descending}
        onDescending={setDescending}
        undo={meta.undo}
        onUndoRedo={(which) => void actions.undoRedo(which)}
        view={view}
        onView={setView}
        thumbSize={thumbSize}
        onThumbSize={setThumbSize}
        panel={panel}
        onPanel={setPanel}
      />

      <div className="dataset-messages">
        <ImportStatusPanel state={imp} />
        {meta.error && <ErrorMessage error={meta.error} context={t.dataset.loadFailed} />}
        {pager.error && <ErrorMessage error={pager.error} context={t.dataset.loadFailed} />}
        {sel.rangeError && <ErrorMessage error={sel.rangeError} context={t.dataset.loadFailed} />}
        {actionError && <ErrorMessage error={actionError.error} context={actionError.context} />}
      </div>

      <LabelPanel
        labels={labels}
        stats={stats}
        misclassified={misclassified}
        filter={filter}
        onFilter={changeFilter}
        onCreate={(name) => actions.labelCall((api) => api.labels.create({ projectId, name }))}
        onRename={(label, name) =>
          actions.labelCall((api) => api.labels.rename({ projectId, labelId: label.id, name }))
        }
        onColor={(label, color) =>
          void actions.labelCall((api) => api.labels.setColor({ projectId, labelId: label.id, color }))
        }
        onMerge={setMerging}
        onDelete={setDeleting}
        collapsed={labelsCollapsed}
        onCollapsedChange={setLabelsCollapsed}
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
          onAcceptAll={(minConfidence, labelId) => void actions.acceptSuggestions({ minConfidence, labelId })}
        />
        <SelectionBar
          selected={sel.selection.size}
          total={total}
          restoring={filter.kind === 'removed'}
          onPick={() => setPicker(true)}
          onUnlabel={() => void actions.assign(null, undefined, false)}
          onMoveToSplit={(split) => void actions.moveToSplit(split)}
          onRemoveOrRestore={() => void actions.removeOrRestore()}
          onClear={() => sel.setSelection(new Set())}
        />
        {view === 'map' ? (
          <DatasetMapView
            projectId={projectId}
            labels={labels}
            dataVersion={dataVersion}
            mediaBase={mediaBase}
            selection={sel.selection}
            onSelectionChange={sel.setSelection}
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
            cellMin={CELL_MIN[thumbSize]}
            focusIndex={sel.focus}
            selection={sel.selection}
            onCellPointer={sel.onCellPointer}
            onOpen={setViewerIndex}
            onKeyDown={onGridKey}
            onFocus={() => {
              // Tabbing into the grid puts the focus on its first image (without selecting it).
              if (sel.focus < 0 && total > 0) sel.setFocus(0);
            }}
            handleRef={gridRef}
            label={t.dataset.gridLabel}
          />
        )}
        <ShortcutHint labelCount={labels.length} />
        {notice && (
          <div className="toast" role="status">
            <span>{notice.text}</span>
            {notice.undo && (
              <button
                type="button"
                className="button small"
                onClick={() => void actions.undoRedo('undo').then(() => actions.setNotice(null))}
              >
                {t.dataset.undo}
              </button>
            )}
          </div>
        )}
      </div>

      {panel && (
        <DatasetSidePanel
          panel={panel}
          projectId={projectId}
          stats={stats}
          labels={labels}
          dataVersion={dataVersion}
          onSelectImages={(ids) => {
            setFilter({ kind: 'all' });
            sel.reset(ids);
          }}
          onClose={() => setPanel(null)}
        />
      )}

      <LabelPicker
        open={picker}
        labels={labels}
        onClose={() => {
          setPicker(false);
          focusGrid();
        }}
        onPick={(choice) => {
          setPicker(false);
          void actions.pick(choice).then(focusGrid);
        }}
      />
      <ImageViewer
        projectId={projectId}
        image={viewerIndex !== null ? (pager.get(viewerIndex) ?? null) : null}
        version={dataVersion}
        mediaBase={mediaBase}
        labels={labels}
        onClose={() => {
          setViewerIndex(null);
          focusGrid();
        }}
        onStep={(delta) => {
          if (viewerIndex === null) return;
          const next = Math.max(0, Math.min(total - 1, viewerIndex + delta));
          setViewerIndex(next);
          sel.focusOnly(next);
        }}
        onAssign={(imageId, labelId) => void actions.assign(labelId, [imageId], false)}
        onAcceptSuggestion={(imageId) => void actions.acceptSuggestions({ imageIds: [imageId] })}
      />
      <MergeDialog
        source={merging}
        labels={labels}
        onClose={() => setMerging(null)}
        onMerge={(source, targetId) => {
          setMerging(null);
          void actions.labelCall((api) => api.labels.merge({ projectId, sourceIds: [source.id], targetId }));
        }}
      />
      <DeleteLabelDialog
        label={deleting}
        onClose={() => setDeleting(null)}
        onDelete={(label) => {
          setDeleting(null);
          if (filter.kind === 'label' && filter.labelId === label.id) changeFilter({ kind: 'all' });
          void actions.labelCall((api) => api.labels.delete({ projectId, labelId: label.id }));
        }}
      />
      {dropOverlay}
    </div>
  );
}
