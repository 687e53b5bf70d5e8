import type { ReactNode } from 'react';
import type { ImageSortKey } from '../../../../../app/domain/dataset';
import type { UndoState } from '../../../../../app/domain/dataset';
import { useT } from '../../../i18n/i18n';
import { ImportForm, type ImportState } from '../import-panel';
import { undoTooltip } from '../wording/actions';
import { CameraIcon, ExportIcon, GridIcon, HealthIcon, MapIcon } from '../../../components/icons';
import { THUMB_SIZES, type ThumbSize } from './thumb-size';
import './dataset-toolbar.css';

export type SidePanel = 'health' | 'export' | 'camera';
export type DatasetView = 'grid' | 'map';

const SORT_KEYS: readonly ImageSortKey[] = ['added', 'name', 'label', 'confidence'];

/**
 * The Dataset toolbar: import, sort order, undo/redo, grid or map, thumbnail size, and the side panels. Its
 * groups wrap as whole groups; on narrow windows the view and panel buttons show only their icons (their words stay
 * their accessible names and tooltips), so it takes two rows at 800 px (see dataset-toolbar.css).
 */
export function DatasetToolbar({
  imp,
  sort,
  onSort,
  descending,
  onDescending,
  undo,
  onUndoRedo,
  view,
  onView,
  thumbSize,
  onThumbSize,
  panel,
  onPanel,
}: {
  imp: ImportState;
  sort: ImageSortKey;
  onSort(sort: ImageSortKey): void;
  descending: boolean;
  onDescending(descending: boolean): void;
  undo: UndoState | null;
  onUndoRedo(which: 'undo' | 'redo'): void;
  view: DatasetView;
  onView(view: DatasetView): void;
  thumbSize: ThumbSize;
  onThumbSize(size: ThumbSize): void;
  panel: SidePanel | null;
  onPanel(panel: SidePanel | null): void;
}) {
  const t = useT();
  const panelButton = (which: SidePanel, text: string, icon: ReactNode) => (
    <button
      type="button"
      className="button small toolbar-icon-text"
      aria-pressed={panel === which}
      aria-label={text}
      title={text}
      onClick={() => onPanel(panel === which ? null : which)}
    >
      {icon}
      <span className="toolbar-words">{text}</span>
    </button>
  );
  return (
    <div className="dataset-toolbar">
      <div className="toolbar-import">
        <ImportForm state={imp} compact />
      </div>
      <div className="sort-controls">
        <label className="toolbar-field">
          <span>{t.dataset.sortLabel}</span>
          <select className="select" value={sort} onChange={(e) => onSort(e.target.value as ImageSortKey)}>
            {SORT_KEYS.map((s) => (
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
          onClick={() => onDescending(!descending)}
        >
          {descending ? '↓' : '↑'}
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="button small icon-text"
          aria-label={t.dataset.undo}
          disabled={!undo?.canUndo}
          title={undoTooltip(t, 'undo', undo?.undoAction, undo?.undoDescription)}
          onClick={() => onUndoRedo('undo')}
        >
          <span aria-hidden="true">↶</span>
        </button>
        <button
          type="button"
          className="button small icon-text"
          aria-label={t.dataset.redo}
          disabled={!undo?.canRedo}
          title={undoTooltip(t, 'redo', undo?.redoAction, undo?.redoDescription)}
          onClick={() => onUndoRedo('redo')}
        >
          <span aria-hidden="true">↷</span>
        </button>
      </div>
      <div className="toolbar-group compact" role="group" aria-label={t.dataset.view.label}>
        {(['grid', 'map'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className="button small toolbar-icon-text"
            aria-pressed={view === v}
            aria-label={t.dataset.view[v]}
            title={t.dataset.view[v]}
            onClick={() => onView(v)}
          >
            {v === 'grid' ? <GridIcon /> : <MapIcon />}
            <span className="toolbar-words">{t.dataset.view[v]}</span>
          </button>
        ))}
      </div>
      {view === 'grid' && (
        <div className="toolbar-group segmented" role="group" aria-label={t.dataset.thumbSize.label}>
          {THUMB_SIZES.map((s) => (
            <button
              key={s}
              type="button"
              className="button small"
              aria-pressed={thumbSize === s}
              aria-label={t.dataset.thumbSize[s]}
              title={t.dataset.thumbSize[s]}
              onClick={() => onThumbSize(s)}
            >
              {t.dataset.thumbSize.short[s]}
            </button>
          ))}
        </div>
      )}
      <div className="toolbar-group toolbar-end">
        {panelButton('health', t.dataset.panels.toggleHealth, <HealthIcon />)}
        {panelButton('camera', t.dataset.camera.toggle, <CameraIcon />)}
        {panelButton('export', t.dataset.panels.toggleExport, <ExportIcon />)}
      </div>
    </div>
  );
}
