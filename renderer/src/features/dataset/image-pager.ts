import type { ImageFilter, ImageSortKey, ImageSummary } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';

/** What the grid lists: a project, a filter and an order. */
export interface ImageQuery {
  projectId: string;
  filter: ImageFilter;
  sort: ImageSortKey;
  descending: boolean;
}

/** Images per `dataset:listImages` page the grid loads as it scrolls. */
export const PAGE_SIZE = 200;
/** Page requests in flight at once; more would only queue up in main while the user scrolls past. */
const MAX_PARALLEL = 2;
/** Most ids `dataset:imageIds` answers at once (Ctrl+A, shift-click ranges). */
const BULK_IDS = 100_000;

interface Page {
  generation: number;
  items: ImageSummary[];
}

/**
 * The images of one query, loaded page by page as the grid asks for them, so 60,000 images cost a few pages.
 * `invalidate()` (after any change) keeps the loaded pages on screen as stale data and reloads the ones in view,
 * so a label change never blanks the grid. Listeners hear about every change; React re-renders from `version`.
 */
export class ImagePager {
  private pages = new Map<number, Page>();
  private inflight = new Map<number, number>();
  private generation = 0;
  private listeners = new Set<() => void>();
  private lastRange: [number, number] = [0, 0];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = 0;
  /** Total images of the query; null until the first page arrives. */
  total: number | null = null;
  error: AppError | null = null;
  /** Bumped on every change; a cheap React dependency. */
  version = 0;

  constructor(private query: ImageQuery) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  get currentQuery(): ImageQuery {
    return this.query;
  }

  /** Switches to another filter or order: everything loaded so far is dropped. */
  setQuery(query: ImageQuery): void {
    this.query = query;
    this.generation++;
    this.pages.clear();
    this.inflight.clear();
    this.total = null;
    this.error = null;
    this.notify();
    this.ensure(this.lastRange[0], this.lastRange[1]);
  }

  /** The data changed on main: loaded pages become stale; the ones in view reload now. */
  invalidate(): void {
    this.generation++;
    // Stale pages out of view are dropped (they reload when scrolled to); those in view stay until replaced.
    const first = Math.floor(this.lastRange[0] / PAGE_SIZE);
    const last = Math.ceil(this.lastRange[1] / PAGE_SIZE);
    for (const n of [...this.pages.keys()]) if (n < first || n > last) this.pages.delete(n);
    this.ensure(this.lastRange[0], this.lastRange[1]);
  }

  /** The image at `index`, when its page is loaded (possibly stale). */
  get(index: number): ImageSummary | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    return page?.items[index % PAGE_SIZE];
  }

  /** The image at `index` only when its page is current (not stale after a change). */
  getFresh(index: number): ImageSummary | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    return page && page.generation === this.generation ? page.items[index % PAGE_SIZE] : undefined;
  }

  /** Index of an image among current pages; -1 when every page is current and it is not there; null otherwise. */
  indexOfFresh(id: number): number | null {
    let allFresh = true;
    for (const [n, page] of this.pages) {
      if (page.generation !== this.generation) {
        allFresh = false;
        continue;
      }
      const i = page.items.findIndex((item) => item.id === id);
      if (i >= 0) return n * PAGE_SIZE + i;
    }
    return allFresh ? -1 : null;
  }

  /** A loaded image by id (possibly stale), or undefined. */
  byId(id: number): ImageSummary | undefined {
    for (const page of this.pages.values()) {
      const item = page.items.find((image) => image.id === id);
      if (item) return item;
    }
    return undefined;
  }

  /** Index of a loaded image by id, or -1. */
  indexOf(id: number): number {
    for (const [n, page] of this.pages) {
      const i = page.items.findIndex((item) => item.id === id);
      if (i >= 0) return n * PAGE_SIZE + i;
    }
    return -1;
  }

  /** Makes sure the images in [start, end) are loaded and current; called by the grid for what is in view. */
  ensure(start: number, end: number): void {
    this.lastRange = [start, end];
    if (this.missingPages().length === 0 || this.timer !== null) return;
    // A short delay, so a fast fling does not queue a request for every page it passes.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, 30);
  }

  /** Pages of the last asked range that are missing or stale and not being loaded. */
  private missingPages(): number[] {
    const [start, end] = this.lastRange;
    const last = this.total === null ? Math.max(end, 1) : Math.min(end, this.total);
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const lastPage = Math.max(first, Math.ceil(last / PAGE_SIZE) - 1);
    const missing: number[] = [];
    for (let n = first; n <= lastPage; n++) {
      const page = this.pages.get(n);
      if (page && page.generation === this.generation) continue;
      if (this.inflight.get(n) === this.generation) continue;
      missing.push(n);
    }
    return missing;
  }

  /** Starts loads for what is in view now, at most MAX_PARALLEL at a time (main answers them one by one). */
  private pump(): void {
    for (const n of this.missingPages()) {
      if (this.running >= MAX_PARALLEL) return;
      void this.load(n);
    }
  }

  private async load(n: number): Promise<void> {
    const generation = this.generation;
    const query = this.query;
    this.inflight.set(n, generation);
    this.running++;
    const result = await call((api) =>
      api.dataset.listImages({ ...query, offset: n * PAGE_SIZE, limit: PAGE_SIZE }),
    );
    this.running--;
    if (this.inflight.get(n) === generation) this.inflight.delete(n);
    if (!result.ok && query === this.query) {
      // No immediate retry: the failed page is still missing, so pumping now would ask again at once, forever
      // while main keeps failing. The next scroll (ensure) or change (invalidate) tries again.
      this.error = result.error;
      this.notify();
      return;
    }
    queueMicrotask(() => this.pump()); // the view may have moved on meanwhile
    if (query !== this.query) return; // another filter by now
    const current = this.pages.get(n);
    if (current && current.generation > generation) return;
    if (!result.ok) return;
    this.error = null;
    if (generation === this.generation || this.total === null) this.total = result.value.total;
    this.pages.set(n, { generation, items: result.value.items });
    // Pages beyond the end (after images left the filter) are gone.
    if (this.total !== null) {
      for (const key of this.pages.keys()) if (key * PAGE_SIZE >= this.total) this.pages.delete(key);
    }
    this.notify();
  }

  /** Ids of the images in [start, end), from loaded pages when current, else straight from main. */
  async idsInRange(start: number, end: number): Promise<number[]> {
    const from = Math.max(0, start);
    const to = this.total === null ? end : Math.min(end, this.total);
    const ids: number[] = [];
    let complete = true;
    for (let i = from; i < to; i++) {
      const page = this.pages.get(Math.floor(i / PAGE_SIZE));
      const item = page && page.generation === this.generation ? page.items[i % PAGE_SIZE] : undefined;
      if (!item) {
        complete = false;
        break;
      }
      ids.push(item.id);
    }
    if (complete) return ids;
    const result = await call((api) =>
      api.dataset.imageIds({
        ...this.query,
        offset: from,
        limit: Math.max(1, Math.min(BULK_IDS, to - from)),
      }),
    );
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  /** Every id of the query (Ctrl+A). */
  async allIds(): Promise<number[]> {
    if (this.total === null) return [];
    return this.idsInRange(0, this.total);
  }
}
