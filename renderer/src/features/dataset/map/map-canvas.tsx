import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type PointerEvent, type Ref } from 'react';
import { drawMap, readMapColors, type MapColors } from './map-renderer';
import { boxOutline, dragMode, enclosedPoints, isAdditive, type MapTool } from './map-gestures';
import type { MapScene } from './map-scene';
import { useWheelZoom } from './use-wheel-zoom';
import { dotRadius } from './point-style';
import { fitBounds, panBy, toScreen, zoomAbout, zoomLimits, type ViewTransform } from './view-transform';

/** What the toolbar's buttons and the keyboard do to the view. */
export interface MapCanvasHandle {
  zoomBy(factor: number): void;
  panBy(dx: number, dy: number): void;
  reset(): void;
}

/** A hovered point and where it is on the canvas (CSS pixels, with the canvas size), for the tooltip. */
export interface MapHover {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Drag {
  mode: MapTool;
  additive: boolean;
  startX: number;
  startY: number;
  startView: ViewTransform;
  moved: boolean;
}

const CLICK_SLOP = 4;

/**
 * The map's canvas: draws every point in one requestAnimationFrame pass (never one DOM node per point), zooms with
 * the wheel around the cursor, pans, lassos and boxes. View, drag and hover live in refs, so moving the mouse
 * redraws without rendering React; only a change of hovered point or a finished selection is reported.
 */
export function MapCanvas({
  scene,
  tool,
  selected,
  showMislabeled,
  colorScheme,
  label,
  onSelect,
  onHover,
  handleRef,
}: {
  scene: MapScene;
  tool: MapTool;
  selected: Int32Array;
  showMislabeled: boolean;
  /** The theme, so the canvas re-reads its colours when it changes. */
  colorScheme: string;
  label: string;
  onSelect(indices: number[], additive: boolean): void;
  onHover(hover: MapHover | null): void;
  handleRef: Ref<MapCanvasHandle>;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useRef({ width: 0, height: 0, dpr: 1 });
  const view = useRef<ViewTransform | null>(null);
  const fitted = useRef<ViewTransform>({ scale: 1, tx: 0, ty: 0 });
  const drag = useRef<Drag | null>(null);
  const outline = useRef<number[]>([]);
  const hovered = useRef(-1);
  const colors = useRef<MapColors | null>(null);
  const frame = useRef(0);
  const latest = useRef({ scene, selected, showMislabeled, onSelect, onHover });
  useLayoutEffect(() => {
    latest.current = { scene, selected, showMislabeled, onSelect, onHover };
  });

  const radius = () =>
    dotRadius(latest.current.scene.xs.length, (view.current?.scale ?? 1) / fitted.current.scale);

  const draw = () => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !view.current || size.current.width === 0) return;
    colors.current ??= readMapColors(canvas);
    const { scene: s, selected: sel, showMislabeled: marks } = latest.current;
    drawMap(ctx, {
      xs: s.xs,
      ys: s.ys,
      groups: s.groups,
      view: view.current,
      ...size.current,
      radius: radius(),
      showMislabeled: marks,
      selected: sel,
      hovered: hovered.current,
      outline: outline.current,
      colors: colors.current,
    });
  };
  const requestDraw = () => {
    if (frame.current === 0) frame.current = requestAnimationFrame(draw);
  };
  /** Whether the user zoomed or panned away from the fitted view (a resize then keeps their view). */
  const moved = useRef(false);
  const shownMap = useRef('');
  const setView = (next: ViewTransform, byUser = true) => {
    moved.current = byUser;
    view.current = next;
    setHovered(-1);
    requestDraw();
  };
  const setHovered = (index: number, at?: { x: number; y: number }) => {
    if (index === hovered.current) return;
    hovered.current = index;
    const { width, height } = size.current;
    latest.current.onHover(index >= 0 && at ? { index, ...at, width, height } : null);
    requestDraw();
  };
  const zoomAt = (factor: number, px: number, py: number) => {
    if (!view.current) return;
    const { minScale, maxScale } = zoomLimits(fitted.current);
    setView(zoomAbout(view.current, factor, px, py, minScale, maxScale));
  };

  useImperativeHandle(handleRef, () => ({
    zoomBy: (factor) => zoomAt(factor, size.current.width / 2, size.current.height / 2),
    panBy: (dx, dy) => view.current && setView(panBy(view.current, dx, dy)),
    reset: () => setView(fitted.current, false),
  }));

  // Size the backing store to the element × devicePixelRatio; the first size (or a new map) fits the view.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const observer = new ResizeObserver(() => {
      const { width, height } = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      size.current = { width, height, dpr };
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      fitted.current = fitBounds(width, height, latest.current.scene.bounds);
      if (!moved.current || !view.current) view.current = fitted.current;
      draw();
    });
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- draw reads refs only
  }, []);

  useEffect(() => {
    // A recomputed map has new coordinates: show all of it. New labels on the same map keep the view.
    const key = `${scene.map.runId}/${scene.map.method}/${scene.map.computedAt}`;
    if (size.current.width > 0) {
      fitted.current = fitBounds(size.current.width, size.current.height, scene.bounds);
    }
    if (shownMap.current !== key) moved.current = false;
    if (!moved.current && size.current.width > 0) view.current = fitted.current;
    shownMap.current = key;
    colors.current = null;
    requestDraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- requestDraw reads refs only
  }, [scene, selected, showMislabeled, colorScheme]);

  useWheelZoom(canvasRef, zoomAt);

  const local = (event: { clientX: number; clientY: number }) => {
    const box = canvasRef.current!.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };

  const pointAt = (x: number, y: number): number => {
    if (!view.current) return -1;
    const v = view.current;
    return latest.current.scene.grid.nearest(
      (x - v.tx) / v.scale,
      (y - v.ty) / v.scale,
      (radius() + 3) / v.scale,
    );
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0 || !view.current) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, y } = local(event);
    const mode = dragMode(tool, event);
    drag.current = {
      mode,
      additive: isAdditive(event),
      startX: x,
      startY: y,
      startView: view.current,
      moved: false,
    };
    outline.current = mode === 'lasso' ? [x, y] : [];
    setHovered(-1);
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const { x, y } = local(event);
    const d = drag.current;
    if (!d) {
      const index = pointAt(x, y);
      const at = index >= 0 && view.current ? toScreen(view.current, scene.xs[index], scene.ys[index]) : null;
      setHovered(index, at ? { x: at[0], y: at[1] } : undefined);
      return;
    }
    d.moved ||= Math.hypot(x - d.startX, y - d.startY) > CLICK_SLOP;
    if (!d.moved) return;
    if (d.mode === 'pan') setView(panBy(d.startView, x - d.startX, y - d.startY));
    else if (d.mode === 'box') outline.current = boxOutline(d.startX, d.startY, x, y);
    else {
      const o = outline.current;
      if (Math.hypot(x - o[o.length - 2], y - o[o.length - 1]) > 2) o.push(x, y);
    }
    requestDraw();
  };

  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || !view.current) return;
    const { x, y } = local(event);
    if (!d.moved) {
      const index = pointAt(x, y);
      if (index >= 0) onSelect([index], d.additive);
      else if (!d.additive) onSelect([], false);
    } else if (d.mode !== 'pan') {
      onSelect(enclosedPoints(d.mode, outline.current, view.current, scene.xs, scene.ys), d.additive);
    }
    outline.current = [];
    requestDraw();
  };

  return (
    <canvas
      ref={canvasRef}
      className={`map-canvas tool-${tool}`}
      role="img"
      aria-label={label}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        drag.current = null;
        outline.current = [];
        requestDraw();
      }}
      onPointerLeave={() => drag.current === null && setHovered(-1)}
    />
  );
}
