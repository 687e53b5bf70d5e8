import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/** Wheel notches (deltaMode 1) in pixels, and how much one pixel of wheel zooms. */
const LINE_PIXELS = 16;
const ZOOM_PER_PIXEL = 0.0015;

/**
 * Calls `onZoom(factor, x, y)` (x, y: the cursor in the element's CSS pixels) for wheel turns over `ref`'s element.
 * A native, non-passive listener: React's wheel listener is passive, and the page must not scroll while zooming.
 */
export function useWheelZoom(
  ref: RefObject<HTMLElement | null>,
  onZoom: (factor: number, x: number, y: number) => void,
): void {
  const latest = useRef(onZoom);
  useLayoutEffect(() => {
    latest.current = onZoom;
  });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const delta = event.deltaMode === 1 ? event.deltaY * LINE_PIXELS : event.deltaY;
      latest.current(Math.exp(-delta * ZOOM_PER_PIXEL), event.clientX - box.left, event.clientY - box.top);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [ref]);
}
