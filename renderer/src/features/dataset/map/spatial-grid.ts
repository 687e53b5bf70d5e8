/**
 * A uniform grid over map space for hover hit-testing: the points of each cell are stored together (a counting
 * sort), so finding the point under the cursor looks at a few cells instead of all 60,000 points.
 */
export class SpatialGrid {
  private readonly cells: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellSize: number;
  /** Point indices ordered by cell. */
  private readonly order: Int32Array;
  /** Where each cell's run starts in `order` (cells + 1 entries). */
  private readonly starts: Int32Array;

  constructor(
    private readonly xs: ArrayLike<number>,
    private readonly ys: ArrayLike<number>,
    /** Cells per side; about √(n / 4) keeps a few points per cell. */
    cellsPerSide = Math.max(1, Math.min(512, Math.round(Math.sqrt(xs.length / 4)))),
  ) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      minX = Math.min(minX, xs[i]);
      maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    if (xs.length === 0) minX = minY = maxX = maxY = 0;
    this.cells = cellsPerSide;
    this.minX = minX;
    this.minY = minY;
    this.cellSize = Math.max(maxX - minX, maxY - minY, 1e-9) / cellsPerSide;
    const cellOf = new Int32Array(xs.length);
    const counts = new Int32Array(cellsPerSide * cellsPerSide + 1);
    for (let i = 0; i < xs.length; i++) {
      cellOf[i] = this.cellIndex(this.column(xs[i]), this.column(ys[i], true));
      counts[cellOf[i] + 1]++;
    }
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    this.starts = counts.slice();
    this.order = new Int32Array(xs.length);
    const next = counts;
    for (let i = 0; i < xs.length; i++) this.order[next[cellOf[i]]++] = i;
  }

  /** The nearest point to (x, y) within `maxDistance` (map units), or -1. */
  nearest(x: number, y: number, maxDistance: number): number {
    const c0 = this.column(x - maxDistance);
    const c1 = this.column(x + maxDistance);
    const r0 = this.column(y - maxDistance, true);
    const r1 = this.column(y + maxDistance, true);
    let best = -1;
    let bestD2 = maxDistance * maxDistance;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = this.cellIndex(c, r);
        for (let k = this.starts[cell]; k < this.starts[cell + 1]; k++) {
          const i = this.order[k];
          const dx = this.xs[i] - x;
          const dy = this.ys[i] - y;
          const d2 = dx * dx + dy * dy;
          if (d2 <= bestD2) {
            bestD2 = d2;
            best = i;
          }
        }
      }
    }
    return best;
  }

  /** The grid column (or row, when `vertical`) of a coordinate, clamped into the grid. */
  private column(value: number, vertical = false): number {
    const origin = vertical ? this.minY : this.minX;
    const cell = Math.floor((value - origin) / this.cellSize);
    return Math.min(this.cells - 1, Math.max(0, cell));
  }

  private cellIndex(column: number, row: number): number {
    return row * this.cells + column;
  }
}
