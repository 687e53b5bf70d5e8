import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type Ref,
} from 'react';
import type { ImageSummary, LabelInfo, SplitName } from '../../../../app/domain/dataset';
import { useT } from '../../i18n/i18n';
import './image-grid.css';
import type { ImagePager } from './image-pager';
import { SuggestionBadge } from './suggestions/suggestion-badge';
import { suggestionOf, type CellSuggestion } from './suggestions/suggestions-model';
import { markUpscaled, mediaUrl } from './use-dataset';

/** Height of a cell's caption and the gap between cells; the cell width comes from the thumbnail size. */
const CAPTION = 38;
const GAP = 8;

export interface GridHandle {
  /** Columns per row at the current width. */
  columns: number;
  /** Rows that fit in the viewport (PageUp/PageDown). */
  visibleRows: number;
  focus(): void;
}

/** Stable DOM id of a cell, for aria-activedescendant. */
export function cellId(projectId: string, index: number): string {
  return `img-${projectId}-${index}`;
}

/**
 * The virtualised thumbnail grid: rows of N cells (N from the width), only the rows in view (plus a few) in the
 * DOM, pages of images loaded as they scroll into view. The grid element keeps keyboard focus and points at the
 * focused cell with aria-activedescendant, so focus survives cells being recycled.
 */
export function ImageGrid({
  pager,
  version,
  projectId,
  mediaBase,
  labels,
  cellMin,
  focusIndex,
  selection,
  onCellPointer,
  onOpen,
  onKeyDown,
  onFocus,
  handleRef,
  label,
}: {
  pager: ImagePager;
  /** pager.version: re-renders when pages arrive. */
  version: number;
  projectId: string;
  mediaBase: string | null;
  labels: LabelInfo[];
  /** The narrowest a cell may be (the thumbnail size control); cells grow to fill the row. */
  cellMin: number;
  focusIndex: number;
  selection: ReadonlySet<number>;
  onCellPointer(index: number, event: MouseEvent): void;
  onOpen(index: number): void;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
  onFocus(): void;
  handleRef: Ref<GridHandle | null>;
  label: string;
}) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const total = pager.total ?? 0;
  // As many columns as keep cells near cellMin wide (between ~0.8× and ~1.25×).
  const columns = Math.max(1, Math.round((size.width - GAP) / (cellMin + GAP)));
  const cellWidth = size.width > 0 ? Math.floor((size.width - GAP) / columns) - GAP : cellMin;
  const rowHeight = cellWidth + CAPTION + GAP;
  const rowCount = Math.ceil(total / columns);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 4,
    paddingStart: GAP,
    paddingEnd: GAP,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const firstRow = rows.length ? rows[0].index : 0;
  const lastRow = rows.length ? rows[rows.length - 1].index : 0;
  // Load what is in view (and the overscan); cheap when already loaded.
  useEffect(() => {
    pager.ensure(firstRow * columns, (lastRow + 1) * columns);
  }, [pager, firstRow, lastRow, columns, version]);

  // Keep the focused cell in view (keyboard moves, selection changes).
  useEffect(() => {
    if (focusIndex < 0 || focusIndex >= total) return;
    virtualizer.scrollToIndex(Math.floor(focusIndex / columns), { align: 'auto' });
  }, [focusIndex, columns, total, virtualizer]);

  const visibleRows = Math.max(1, Math.floor(size.height / rowHeight));
  useEffect(() => {
    const handle: GridHandle = { columns, visibleRows, focus: () => scrollRef.current?.focus() };
    if (typeof handleRef === 'function') handleRef(handle);
    else if (handleRef) handleRef.current = handle;
  }, [columns, visibleRows, handleRef]);

  const labelById = new Map(labels.map((l) => [l.id, l]));
  const activeId = focusIndex >= 0 && focusIndex < total ? cellId(projectId, focusIndex) : undefined;

  return (
    <div
      ref={scrollRef}
      className="image-grid"
      role="grid"
      aria-label={label}
      aria-rowcount={rowCount}
      aria-colcount={columns}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      data-version={version}
    >
      <div className="image-grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const cells = [];
          for (let c = 0; c < columns; c++) {
            const index = row.index * columns + c;
            if (index >= total) break;
            const image = pager.get(index);
            cells.push(
              <Cell
                key={c}
                id={cellId(projectId, index)}
                index={index}
                image={image}
                width={cellWidth}
                colIndex={c + 1}
                focused={index === focusIndex}
                selected={image ? selection.has(image.id) : false}
                label={image?.labelId ? labelById.get(image.labelId) : undefined}
                suggestion={image ? suggestionOf(image, labelById) : null}
                src={image && mediaBase ? mediaUrl(mediaBase, projectId, 'thumb', image.sha256) : undefined}
                unlabeledText={t.dataset.unlabeledBadge}
                splitText={t.dataset.splitShort}
                conflictText={
                  image?.conflictLabels.length
                    ? t.dataset.conflictBadge(image.conflictLabels.join(', '))
                    : null
                }
                onPointer={onCellPointer}
                onOpen={onOpen}
              />,
            );
          }
          return (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className="image-grid-row"
              style={{
                transform: `translateY(${row.start}px)`,
                height: rowHeight,
                gap: GAP,
                paddingInline: GAP,
              }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Cells narrower than this (CSS px) show the split as a corner dot instead of a worded badge. */
const COMPACT_SPLIT_BELOW = 100;

function Cell({
  id,
  index,
  image,
  width,
  colIndex,
  focused,
  selected,
  label,
  suggestion,
  src,
  unlabeledText,
  splitText,
  conflictText,
  onPointer,
  onOpen,
}: {
  id: string;
  index: number;
  image: ImageSummary | undefined;
  width: number;
  colIndex: number;
  focused: boolean;
  selected: boolean;
  label: LabelInfo | undefined;
  /** The model's suggestion for an unlabeled image, shown unlike a real label. */
  suggestion: CellSuggestion | null;
  src: string | undefined;
  unlabeledText: string;
  splitText: Record<SplitName, string>;
  conflictText: string | null;
  onPointer(index: number, event: MouseEvent): void;
  onOpen(index: number): void;
}) {
  const t = useT();
  const name = image?.fileName ?? '';
  const labelName = label?.name ?? (image ? unlabeledText : '');
  const suggestionText = suggestion ? t.suggestions.cellName(suggestion.label, suggestion.percent) : null;
  const suggestionTitle = suggestion ? t.suggestions.cellTitle(suggestion.label, suggestion.percent) : null;
  // The split matters once an image is labeled (unlabeled images are not trained on): a badge, a corner dot on
  // small cells (the full name is in the cell's tooltip).
  const split = label && image?.split ? image.split : null;
  const splitName = split ? t.dataset.splits[split] : null;
  const compactSplit = width < COMPACT_SPLIT_BELOW;
  const described = [name, labelName, suggestionText, conflictText].filter(Boolean).join(', ');
  return (
    <div
      id={id}
      role="gridcell"
      aria-colindex={colIndex}
      aria-selected={selected}
      aria-label={image ? described : undefined}
      aria-busy={image ? undefined : true}
      className={`image-cell${selected ? ' selected' : ''}${focused ? ' focused' : ''}${image?.removedAt ? ' removed' : ''}`}
      style={{ width }}
      onMouseDown={(event) => {
        if (event.button !== 0) return;
        // Keep focus on the grid (not on the cell) and stop shift-click from selecting text.
        event.preventDefault();
        (event.currentTarget.closest('[role="grid"]') as HTMLElement | null)?.focus({ preventScroll: true });
        onPointer(index, event);
      }}
      onDoubleClick={() => onOpen(index)}
      title={image ? [name, labelName, splitName, suggestionTitle].filter(Boolean).join('\n') : undefined}
    >
      <div className="image-thumb" style={{ height: width }}>
        {src ? <img src={src} alt="" decoding="async" draggable={false} onLoad={markUpscaled} /> : null}
        {conflictText && (
          <span className="image-flag conflict" title={conflictText}>
            !
          </span>
        )}
        {image && image.duplicateCount > 0 && (
          <span className="image-flag duplicate">×{image.duplicateCount + 1}</span>
        )}
        {split && (
          <span
            className={`image-split split-${split}${compactSplit ? ' compact' : ''}`}
            title={splitName ?? undefined}
            aria-hidden="true"
          >
            {compactSplit ? null : splitText[split]}
          </span>
        )}
      </div>
      <div className="image-caption">
        {suggestion && !label ? (
          <SuggestionBadge suggestion={suggestion} />
        ) : (
          <span className="image-label-line">
            <span
              className="label-dot"
              style={{ background: label?.color ?? 'transparent' }}
              data-unlabeled={label ? undefined : 'true'}
            />
            <span className={`image-label${label ? '' : ' unlabeled'}`}>{labelName}</span>
          </span>
        )}
        <span className="image-name">{name}</span>
      </div>
    </div>
  );
}
