import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type RefObject } from 'react';
import type { EvaluationReport } from '../../../../app/domain/training';
import { useT } from '../../i18n/i18n';
import { cellTint, matrixMove, rowNormalized, STRONG_TINT } from './evaluation-model';
import { useNumberFormats } from './use-evaluation';

/** A confusion-matrix cell by row (true label) and column (predicted label). */
export interface CellRef {
  row: number;
  col: number;
}

/** Lets the section put focus back on the matrix (after the cell panel closes). */
export interface MatrixHandle {
  focus(): void;
}

/**
 * The confusion matrix as a real table (rows = true label, columns = predicted), shaded by the share of its row:
 * the diagonal in the accent colour, mistakes in red. One cell is in the tab order at a time; arrow keys, Home and
 * End move between cells, Enter or Space (or a click) opens a cell's images.
 */
export function ConfusionMatrix({
  confusion,
  selected,
  onOpen,
  handleRef,
}: {
  confusion: EvaluationReport['confusion'];
  selected: CellRef | null;
  onOpen(cell: CellRef): void;
  handleRef?: RefObject<MatrixHandle | null>;
}) {
  const t = useT();
  const tm = t.evaluation.matrix;
  const { percent } = useNumberFormats();
  const { labels, matrix } = confusion;
  const size = labels.length;
  const shares = rowNormalized(matrix);
  const tableRef = useRef<HTMLTableElement>(null);
  const [focus, setFocus] = useState<CellRef>(selected ?? { row: 0, col: 0 });
  const at = { row: Math.min(focus.row, size - 1), col: Math.min(focus.col, size - 1) };

  const focusCell = (cell: CellRef) => {
    setFocus(cell);
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${cell.row}-${cell.col}"]`)?.focus();
  };

  useEffect(() => {
    if (!handleRef) return;
    handleRef.current = {
      focus: () =>
        tableRef.current?.querySelector<HTMLElement>('td[tabindex="0"]')?.focus({ preventScroll: false }),
    };
  }, [handleRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const next = matrixMove(event, at, size);
    if (next) {
      event.preventDefault();
      focusCell(next);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(at);
    }
  };

  return (
    <div className="confusion-scroll">
      <table
        ref={tableRef}
        className="confusion"
        role="grid"
        aria-labelledby="confusion-heading"
        aria-describedby="confusion-caption"
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            <th scope="col" className="confusion-corner">
              <span className="confusion-axis-true">{tm.trueAxis} ↓</span>
              <span className="confusion-axis-predicted">{tm.predictedAxis} →</span>
            </th>
            {labels.map((label) => (
              <th key={label} scope="col" className="confusion-col-head" title={label}>
                <span>{label}</span>
              </th>
            ))}
            <th scope="col" className="confusion-total-head">
              {tm.rowTotal}
            </th>
          </tr>
        </thead>
        <tbody>
          {labels.map((trueLabel, row) => {
            const total = matrix[row]?.reduce((a, b) => a + b, 0) ?? 0;
            return (
              <tr key={trueLabel}>
                <th scope="row" className="confusion-row-head" title={trueLabel}>
                  {trueLabel}
                </th>
                {labels.map((predicted, col) => {
                  const count = matrix[row]?.[col] ?? 0;
                  const share = shares[row]?.[col] ?? 0;
                  const tint = cellTint(share);
                  const isFocus = row === at.row && col === at.col;
                  const isSelected = selected?.row === row && selected.col === col;
                  const kind = row === col ? 'right' : 'wrong';
                  return (
                    <td
                      key={predicted}
                      data-cell={`${row}-${col}`}
                      tabIndex={isFocus ? 0 : -1}
                      aria-selected={isSelected}
                      aria-label={tm.cell(count, trueLabel, predicted, percent(share))}
                      title={tm.cell(count, trueLabel, predicted, percent(share))}
                      className={`confusion-cell ${kind}${count === 0 ? ' zero' : ''}${tint > STRONG_TINT ? ' strong' : ''}${isSelected ? ' selected' : ''}`}
                      style={{ '--tint': `${tint}%` } as CSSProperties}
                      onClick={() => {
                        setFocus({ row, col });
                        onOpen({ row, col });
                      }}
                      onFocus={() => !isFocus && setFocus({ row, col })}
                    >
                      {count.toLocaleString()}
                    </td>
                  );
                })}
                <td className="confusion-total">{total.toLocaleString()}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
