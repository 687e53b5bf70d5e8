/**
 * Coalesces a stream of events into one flush per animation frame: training events can arrive faster than the
 * screen refreshes, and each React update (and chart redraw) should happen at most once per frame.
 */

/** The frame scheduler: requestAnimationFrame in the page, a fake in tests. */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class FrameBatcher<T> {
  private items: T[] = [];
  private handle: number | null = null;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly scheduler: FrameScheduler = animationFrames,
  ) {}

  /** Queues an item; the flush runs on the next frame with everything queued until then. */
  push(item: T): void {
    this.items.push(item);
    this.handle ??= this.scheduler.request(() => {
      this.handle = null;
      const items = this.items;
      this.items = [];
      if (items.length > 0) this.flush(items);
    });
  }

  /** Drops queued items and the pending frame (on unmount). */
  dispose(): void {
    if (this.handle !== null) this.scheduler.cancel(this.handle);
    this.handle = null;
    this.items = [];
  }
}
