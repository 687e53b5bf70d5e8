import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageSummary } from '../../../app/domain/dataset';
import { ImagePager, PAGE_SIZE } from '../../../renderer/src/features/dataset/image-pager';

/**
 * The grid's pager against a fake `window.desktop`: pages load on demand (debounced), stale pages stay on screen
 * after a change until replaced, ranges come from loaded pages or from main, and a new query drops everything.
 */

type ListRequest = { offset: number; limit: number; filter: { kind: string } };

function image(id: number): ImageSummary {
  return { id, fileName: `img-${id}.png` } as ImageSummary;
}

let images: ImageSummary[];
let listCalls: ListRequest[];
let idCalls: { offset: number; limit: number }[];
let failNext: boolean;

beforeEach(() => {
  vi.useFakeTimers();
  images = Array.from({ length: 450 }, (_, i) => image(i + 1));
  listCalls = [];
  idCalls = [];
  failNext = false;
  const desktop = {
    dataset: {
      listImages: async (req: ListRequest) => {
        listCalls.push(req);
        if (failNext) {
          failNext = false;
          return { ok: false, error: { code: 'internal', message: 'boom' } };
        }
        return {
          ok: true,
          value: { total: images.length, items: images.slice(req.offset, req.offset + req.limit) },
        };
      },
      imageIds: async (req: { offset: number; limit: number }) => {
        idCalls.push(req);
        return { ok: true, value: images.slice(req.offset, req.offset + req.limit).map((i) => i.id) };
      },
    },
  };
  vi.stubGlobal('window', { desktop });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const query = { projectId: 'p', filter: { kind: 'all' } as const, sort: 'added' as const, descending: false };

/** Lets the debounce fire and the fake main answer. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(50);
  await vi.runAllTimersAsync();
}

describe('ImagePager', () => {
  it('loads the pages in view after a short debounce, and only those', async () => {
    const pager = new ImagePager(query);
    pager.ensure(0, 50);
    expect(listCalls).toHaveLength(0); // debounced: a fast fling does not request every page it passes
    await settle();
    expect(listCalls.map((c) => c.offset)).toEqual([0]);
    expect(pager.total).toBe(450);
    expect(pager.get(0)?.id).toBe(1);
    expect(pager.get(PAGE_SIZE)).toBeUndefined();
    pager.ensure(PAGE_SIZE + 10, PAGE_SIZE + 60);
    await settle();
    expect(listCalls.map((c) => c.offset)).toEqual([0, PAGE_SIZE]);
    expect(pager.get(PAGE_SIZE + 10)?.id).toBe(PAGE_SIZE + 11);
  });

  it('notifies listeners and bumps its version when pages arrive', async () => {
    const pager = new ImagePager(query);
    const heard = vi.fn();
    pager.subscribe(heard);
    const before = pager.version;
    pager.ensure(0, 10);
    await settle();
    expect(heard).toHaveBeenCalled();
    expect(pager.version).toBeGreaterThan(before);
  });

  it('keeps stale pages on screen after invalidate and reloads them; fresh lookups wait for the reload', async () => {
    const pager = new ImagePager(query);
    pager.ensure(0, 10);
    await settle();
    images[0] = { ...images[0], fileName: 'renamed.png' };
    pager.invalidate();
    expect(pager.get(0)?.fileName).toBe('img-1.png'); // stale, but no blank grid
    expect(pager.getFresh(0)).toBeUndefined();
    expect(pager.indexOfFresh(1)).toBeNull(); // not known until the fresh page is there
    await settle();
    expect(pager.get(0)?.fileName).toBe('renamed.png');
    expect(pager.indexOfFresh(1)).toBe(0);
    expect(pager.indexOfFresh(9999)).toBe(-1);
  });

  it('answers ranges from loaded pages without asking main, and from main otherwise', async () => {
    const pager = new ImagePager(query);
    pager.ensure(0, 10);
    await settle();
    expect(await pager.idsInRange(2, 5)).toEqual([3, 4, 5]);
    expect(idCalls).toHaveLength(0);
    expect(await pager.idsInRange(190, 210)).toEqual(images.slice(190, 210).map((i) => i.id));
    expect(idCalls).toEqual([expect.objectContaining({ offset: 190, limit: 20 })]);
    expect(await pager.allIds()).toHaveLength(450);
  });

  it('drops everything on a new query and starts over', async () => {
    const pager = new ImagePager(query);
    pager.ensure(0, 10);
    await settle();
    pager.setQuery({ ...query, filter: { kind: 'unlabeled' } });
    expect(pager.total).toBeNull();
    expect(pager.get(0)).toBeUndefined();
    await settle();
    expect(listCalls.at(-1)?.filter).toEqual({ kind: 'unlabeled' });
    expect(pager.get(0)?.id).toBe(1);
  });

  it('reports a failed page load as its error without asking again at once, and recovers on the next change', async () => {
    const pager = new ImagePager(query);
    failNext = true;
    pager.ensure(0, 10);
    await settle();
    expect(pager.error?.message).toBe('boom');
    expect(listCalls).toHaveLength(1); // no retry loop while main fails
    pager.invalidate();
    await settle();
    expect(pager.error).toBeNull();
    expect(pager.get(0)?.id).toBe(1);
  });

  it('finds loaded images by id', async () => {
    const pager = new ImagePager(query);
    pager.ensure(0, 10);
    await settle();
    expect(pager.byId(5)?.fileName).toBe('img-5.png');
    expect(pager.indexOf(5)).toBe(4);
    expect(pager.indexOf(400)).toBe(-1);
  });
});
