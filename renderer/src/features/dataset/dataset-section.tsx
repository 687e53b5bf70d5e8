import { useCallback, useRef, useState } from 'react';
import type { ImageFilter } from '../../../../app/domain/dataset';
import type { ProjectSummary } from '../../../../app/domain/project';
import { useT } from '../../i18n/i18n';
import './dataset.css';
import type { GridHandle } from './image-grid';
import { useImport } from './import-panel';
import { DatasetImages } from './section/dataset-images';
import { DatasetDialogs } from './section/dataset-dialogs';
import { DatasetEmpty, DatasetMessages } from './section/dataset-messages';
import { DatasetLabels } from './section/dataset-labels';
import { DatasetSidePanel } from './section/dataset-side-panel';
import { DatasetToolbar, type DatasetView, type SidePanel } from './section/dataset-toolbar';
import { NoticeToast } from './section/notice-toast';
import { SelectionBar } from './section/selection-bar';
import { ShortcutHint } from './section/shortcut-hint';
import { useThumbSize } from './section/thumb-size';
import { useDatasetActions } from './section/use-dataset-actions';
import { useDropImport } from './section/use-drop-import';
import { useGridKeys, useUndoKeys } from './section/use-grid-keys';
import { useGridSelection } from './section/use-grid-selection';
import { useImageQuery } from './section/use-image-query';
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

  const { filter, setFilter, sort, setSort, descending, setDescending, pager, version, total } =
    useImageQuery(projectId);
  const gridRef = useRef<GridHandle | null>(null);

  const [dataVersion, setDataVersion] = useState(0);
  const [panel, setPanel] = useState<SidePanel | null>(null);
  /** The images as the thumbnail grid or as the dataset map (issue 11). */
  const [view, setView] = useState<DatasetView>('grid');
  const [thumbSize, setThumbSize] = useThumbSize(projectId, project.inputSize);
  // Narrow windows start with the labels panel folded to its keys, so the grid gets the width.
  const [labelsCollapsed, setLabelsCollapsed] = useState(() => window.innerWidth <= NARROW_WINDOW);
  const [picker, setPicker] = useState(false);
  const [viewerIndex, setViewerIndex] = useState<number | null>(null);

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

  const changeFilter = (next: ImageFilter) => {
    setFilter(next);
    sel.reset();
  };
  const focusGrid = () => gridRef.current?.focus();

  const dropOverlay = useDropImport(
    (paths) => void imp.start(paths),
    () => actions.setNotice({ text: t.dataset.dropNoPaths }),
  );

  if (stats !== null && stats.total === 0 && stats.removed === 0 && labels.length === 0) {
    return <DatasetEmpty imp={imp} dropOverlay={dropOverlay} />;
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

      <DatasetMessages
        imp={imp}
        loadErrors={[meta.error, pager.error, sel.rangeError]}
        actionError={actionError}
      />

      <DatasetLabels
        projectId={projectId}
        labels={labels}
        stats={stats}
        misclassified={misclassified}
        filter={filter}
        onFilter={changeFilter}
        labelCall={actions.labelCall}
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
      </DatasetLabels>

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
        <DatasetImages
          view={view}
          projectId={projectId}
          pager={pager}
          version={version}
          dataVersion={dataVersion}
          mediaBase={mediaBase}
          labels={labels}
          thumbSize={thumbSize}
          sel={sel}
          gridRef={gridRef}
          onOpen={setViewerIndex}
          onKeyDown={onGridKey}
        />
        <ShortcutHint labelCount={labels.length} />
        <NoticeToast
          notice={notice}
          onUndo={() => void actions.undoRedo('undo').then(() => actions.setNotice(null))}
        />
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

      <DatasetDialogs
        projectId={projectId}
        pager={pager}
        total={total}
        labels={labels}
        dataVersion={dataVersion}
        mediaBase={mediaBase}
        sel={sel}
        actions={actions}
        picker={picker}
        onPicker={setPicker}
        viewerIndex={viewerIndex}
        onViewerIndex={setViewerIndex}
        focusGrid={focusGrid}
      />
      {dropOverlay}
    </div>
  );
}
