import { useEffect, useRef, type KeyboardEvent } from 'react';

/** A rectangle in input cells (may start in the padding: negative). */
export interface CellRect {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * A small image (RGBA, `width`×`height`) enlarged to `cell` CSS pixels per pixel, with a hatched border of
 * `pad` zero cells, a window outline, highlighted cells and an optional grid. The illustration canvas of the stride
 * and pooling experiments; colours come from the theme's CSS variables.
 */
export function GridCanvas({
  rgba,
  width,
  height,
  cell,
  pad = { top: 0, bottom: 0, left: 0, right: 0 },
  window: box,
  marks = [],
  current,
  label,
  testId,
  onKeyDown,
}: {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  cell: number;
  pad?: { top: number; bottom: number; left: number; right: number };
  window?: CellRect;
  /** Cells to highlight (kept positions), in image coordinates. */
  marks?: { y: number; x: number }[];
  /** The cell of the current step (drawn stronger). */
  current?: { y: number; x: number };
  label: string;
  testId?: string;
  onKeyDown?(event: KeyboardEvent): void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cols = width + pad.left + pad.right;
  const rows = height + pad.top + pad.bottom;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width <= 0 || height <= 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(cols * cell * ratio);
    canvas.height = Math.round(rows * cell * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const css = getComputedStyle(canvas);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    // the zero border: black cells, hatched so they read as "added"
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, cols * cell, rows * cell);
    ctx.strokeStyle = color('--xp-hatch', '#555');
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let d = 0; d < (cols + rows) * cell; d += 6) {
      ctx.moveTo(d, 0);
      ctx.lineTo(d - rows * cell, rows * cell);
    }
    ctx.stroke();
    const image = document.createElement('canvas');
    image.width = width;
    image.height = height;
    image.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, pad.left * cell, pad.top * cell, width * cell, height * cell);
    if (cell >= 6) {
      ctx.strokeStyle = color('--xp-grid', 'rgb(128 128 128 / 35%)');
      ctx.beginPath();
      for (let x = 0; x <= cols; x++) {
        ctx.moveTo(x * cell + 0.5, 0);
        ctx.lineTo(x * cell + 0.5, rows * cell);
      }
      for (let y = 0; y <= rows; y++) {
        ctx.moveTo(0, y * cell + 0.5);
        ctx.lineTo(cols * cell, y * cell + 0.5);
      }
      ctx.stroke();
    }
    const mark = color('--xp-mark', '#f08c00');
    for (const m of marks) {
      ctx.strokeStyle = mark;
      ctx.lineWidth = 2;
      ctx.strokeRect((m.x + pad.left) * cell + 1, (m.y + pad.top) * cell + 1, cell - 2, cell - 2);
    }
    if (current) {
      ctx.fillStyle = color('--xp-mark-fill', 'rgb(240 140 0 / 55%)');
      ctx.fillRect((current.x + pad.left) * cell, (current.y + pad.top) * cell, cell, cell);
      ctx.strokeStyle = color('--xp-window', '#3d6bff');
      ctx.lineWidth = 2;
      ctx.strokeRect((current.x + pad.left) * cell - 1, (current.y + pad.top) * cell - 1, cell + 2, cell + 2);
    }
    if (box) {
      ctx.strokeStyle = color('--xp-window', '#3d6bff');
      ctx.lineWidth = 3;
      ctx.strokeRect(
        (box.left + pad.left) * cell + 1.5,
        (box.top + pad.top) * cell + 1.5,
        box.width * cell - 3,
        box.height * cell - 3,
      );
    }
    canvas.dataset.drawn = 'true';
  }, [rgba, width, height, cell, cols, rows, pad.left, pad.top, box, marks, current]);
  return (
    <canvas
      ref={ref}
      className="xp-grid-canvas"
      style={{ width: cols * cell, height: rows * cell }}
      role="img"
      aria-label={label}
      tabIndex={onKeyDown ? 0 : undefined}
      onKeyDown={onKeyDown}
      data-testid={testId}
    />
  );
}

/** Cell size so a grid of `cells` fits about `target` CSS pixels (2…24). */
export function cellSize(cells: number, target: number): number {
  return Math.max(2, Math.min(24, Math.floor(target / Math.max(cells, 1))));
}
