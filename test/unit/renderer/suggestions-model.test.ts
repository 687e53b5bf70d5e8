import { describe, expect, it } from 'vitest';
import type { ImageSummary, LabelInfo } from '../../../app/domain/dataset';
import type { SuggestionsStatus } from '../../../app/domain/suggestions';
import {
  acceptedText,
  activeQuickOrder,
  barMode,
  confidencePercent,
  countAtOrAbove,
  countSortedAtOrAbove,
  failureText,
  leavesFilter,
  quickOrderQuery,
  staleText,
  suggestionOf,
  suggestionTargets,
} from '../../../renderer/src/features/dataset/suggestions/suggestions-model';
import { suggestionsEn } from '../../../renderer/src/i18n/suggestions-en';
import { suggestionsZhCN } from '../../../renderer/src/i18n/suggestions-zh-CN';

function image(id: number, overrides: Partial<ImageSummary> = {}): ImageSummary {
  return {
    id,
    sha256: `sha-${id}`,
    fileName: `img-${id}.png`,
    labelId: null,
    labelName: null,
    split: null,
    splitSource: null,
    width: 28,
    height: 28,
    format: 'png',
    addedAt: '2026-11-27T00:00:00.000Z',
    conflictLabels: [],
    duplicateCount: 0,
    removedAt: null,
    suggestion: null,
    ...overrides,
  };
}

function status(overrides: Partial<SuggestionsStatus> = {}): SuggestionsStatus {
  return {
    projectId: 'p',
    state: 'ready',
    runId: 'r1',
    modelRunId: 'r1',
    computedAt: '2026-11-27T00:00:00.000Z',
    count: 10,
    unlabeled: 10,
    stale: [],
    histogram: new Array(100).fill(0),
    progress: null,
    error: null,
    ...overrides,
  };
}

describe('confidence percent and the accept-all preview', () => {
  it('shows a confidence as the whole percent below it, as the histogram bins it', () => {
    expect(confidencePercent(0.87)).toBe(87);
    expect(confidencePercent(0.8799)).toBe(87);
    expect(confidencePercent(0.9999)).toBe(99);
    expect(confidencePercent(1)).toBe(100);
    expect(confidencePercent(0)).toBe(0);
    expect(confidencePercent(0.29)).toBe(29); // 0.29 * 100 is 28.999…
  });

  it('previews the suggestions at or above N % as the sum of bins N..99', () => {
    const histogram = new Array(100).fill(0);
    histogram[10] = 4;
    histogram[49] = 2;
    histogram[50] = 3;
    histogram[87] = 5;
    histogram[99] = 7; // includes confidence 1
    expect(countAtOrAbove(histogram, 0)).toBe(21);
    expect(countAtOrAbove(histogram, 50)).toBe(15);
    expect(countAtOrAbove(histogram, 51)).toBe(12);
    expect(countAtOrAbove(histogram, 87)).toBe(12);
    expect(countAtOrAbove(histogram, 88)).toBe(7);
    expect(countAtOrAbove(histogram, 99)).toBe(7);
    expect(countAtOrAbove(histogram, 100)).toBe(0);
    expect(countAtOrAbove([], 50)).toBe(0);
  });

  it('counts one label’s suggestions at or above a confidence by binary search over the sorted list', async () => {
    const sorted = [0.99, 0.95, 0.9, 0.9, 0.71, 0.5, 0.2];
    const reads: number[] = [];
    const at = async (i: number) => {
      reads.push(i);
      return sorted[i] ?? null;
    };
    expect(await countSortedAtOrAbove(sorted.length, 0.9, at)).toBe(4);
    expect(reads.length).toBeLessThanOrEqual(3);
    expect(await countSortedAtOrAbove(sorted.length, 0.991, at)).toBe(0);
    expect(await countSortedAtOrAbove(sorted.length, 0.1, at)).toBe(7);
    expect(await countSortedAtOrAbove(0, 0.5, at)).toBe(0);
    // Images without a suggestion sort last and never count.
    expect(await countSortedAtOrAbove(3, 0, async (i) => [0.4, null, null][i])).toBe(1);
  });
});

describe('which images Enter accepts', () => {
  const suggested = image(1, { suggestion: { label: 'Coat', labelId: 3, confidence: 0.8 } });
  const orphan = image(2, { suggestion: { label: 'Gone', labelId: null, confidence: 0.9 } });
  const plain = image(3);
  const labeled = image(4, { labelId: 3, labelName: 'Coat' });
  const loaded = new Map([suggested, orphan, plain, labeled].map((i) => [i.id, i]));
  const lookup = (id: number) => loaded.get(id);

  it('takes the images whose suggestion is a project label', () => {
    expect(suggestionTargets([1, 2, 3, 4], lookup)).toEqual([1]);
  });

  it('takes nothing (Enter opens the image) when none has a suggestion', () => {
    expect(suggestionTargets([3], lookup)).toEqual([]);
    expect(suggestionTargets([2, 3, 4], lookup)).toEqual([]);
    expect(suggestionTargets([], lookup)).toEqual([]);
  });

  it('leaves images not loaded on the page to main, which skips those without one', () => {
    expect(suggestionTargets([3, 99], lookup)).toEqual([99]);
  });
});

describe('moving on after labeling', () => {
  it('stays in place when the labeled image leaves the filter', () => {
    expect(leavesFilter({ kind: 'unlabeled' }, 3)).toBe(true);
    expect(leavesFilter({ kind: 'suggested', labelId: 3 }, 3)).toBe(true);
    expect(leavesFilter({ kind: 'suggested', labelId: 3 }, 5)).toBe(true);
    expect(leavesFilter({ kind: 'suggested', labelId: 3 }, null)).toBe(false);
    expect(leavesFilter({ kind: 'label', labelId: 3 }, 5)).toBe(true);
    expect(leavesFilter({ kind: 'label', labelId: 3 }, 3)).toBe(false);
    expect(leavesFilter({ kind: 'all' }, 3)).toBe(false);
  });
});

describe('quick orders', () => {
  it('are the unlabeled images by confidence, ascending for least confident first', () => {
    const least = quickOrderQuery('least-confident');
    expect(least).toEqual({ filter: { kind: 'unlabeled' }, sort: 'confidence', descending: false });
    expect(activeQuickOrder(least.filter, least.sort, least.descending)).toBe('least-confident');
    const most = quickOrderQuery('most-confident');
    expect(most.descending).toBe(true);
    expect(activeQuickOrder(most.filter, most.sort, most.descending)).toBe('most-confident');
    expect(activeQuickOrder({ kind: 'all' }, 'confidence', false)).toBeNull();
    expect(activeQuickOrder({ kind: 'unlabeled' }, 'added', false)).toBeNull();
  });
});

describe('a cell’s suggestion', () => {
  const labels = new Map<number, LabelInfo>([
    [3, { id: 3, name: 'Coat', color: '#aa3355', index: 0, imageCount: 5, createdAt: '' }],
  ]);

  it('names the project label (renamed since) with its colour and percent', () => {
    const img = image(1, { suggestion: { label: 'coat-old', labelId: 3, confidence: 0.874 } });
    expect(suggestionOf(img, labels)).toEqual({ label: 'Coat', color: '#aa3355', percent: 87 });
  });

  it('keeps the model’s class name without a colour when the label is gone, and none for labeled images', () => {
    const orphan = image(2, { suggestion: { label: 'Gone', labelId: null, confidence: 0.5 } });
    expect(suggestionOf(orphan, labels)).toEqual({ label: 'Gone', color: null, percent: 50 });
    expect(suggestionOf(image(3), labels)).toBeNull();
    const labeled = image(4, { labelId: 3, suggestion: { label: 'Coat', labelId: 3, confidence: 0.5 } });
    expect(suggestionOf(labeled, labels)).toBeNull();
  });
});

describe('wording', () => {
  it('words the cell’s accessible name with a locale percent', () => {
    expect(suggestionsEn.cellName('Coat', 87)).toBe('suggested: Coat, 87%');
    expect(suggestionsZhCN.cellName('Coat', 87)).toBe('建议：Coat，87%');
  });

  it('formats counts by locale in progress and the preview', () => {
    expect(suggestionsEn.running(1234, 10000)).toBe('Suggesting labels: 1,234 of 10,000');
    expect(suggestionsEn.preview(1)).toBe('1 image');
    expect(suggestionsEn.preview(1500)).toBe('1,500 images');
    expect(suggestionsZhCN.running(1234, 10000)).toContain('1,234');
  });

  it('says why suggestions are stale, every reason worded', () => {
    expect(staleText(status(), suggestionsEn)).toBeNull();
    const text = staleText(status({ stale: ['model-changed', 'new-images'] }), suggestionsEn);
    expect(text).toBe(
      'These suggestions are out of date: the project uses another model now; new images have none yet.',
    );
    const all = staleText(
      status({ stale: ['model-changed', 'new-images', 'labels-changed'] }),
      suggestionsZhCN,
    );
    for (const reason of ['model-changed', 'new-images', 'labels-changed'] as const) {
      expect(all).toContain(suggestionsZhCN.stale[reason]);
    }
  });

  it('words a failure by its code, and an unknown code generally', () => {
    expect(failureText({ code: 'no-model', detail: '' }, suggestionsEn)).toBe(
      suggestionsEn.failed.codes['no-model'],
    );
    expect(failureText({ code: 'something-new', detail: 'x' }, suggestionsEn)).toBe(
      suggestionsEn.failed.unknown,
    );
    expect(failureText(null, suggestionsEn)).toBe(suggestionsEn.failed.unknown);
  });

  it('names the label in the toast when every accepted suggestion had the same one', () => {
    const s = (label: string) => ({ imageId: 1, file: 'f', label, labelId: 1, confidence: 0.9 });
    expect(acceptedText({ accepted: 1, suggestions: [s('Coat')] }, suggestionsEn)).toBe(
      'Accepted 1 suggestion: “Coat”.',
    );
    expect(acceptedText({ accepted: 2, suggestions: [s('Coat'), s('Bag')] }, suggestionsEn)).toBe(
      'Accepted 2 suggestions.',
    );
    expect(acceptedText({ accepted: 0, suggestions: [] }, suggestionsEn)).toBe(suggestionsEn.noneAccepted);
  });
});

describe('what the bar shows', () => {
  it('follows the state, the model and whether anything is unlabeled', () => {
    expect(barMode(null, 5)).toBe('hidden');
    expect(barMode(status({ state: 'none', modelRunId: null, count: 0 }), 5)).toBe('no-model');
    expect(barMode(status({ state: 'none', modelRunId: null, count: 0 }), 0)).toBe('hidden');
    expect(barMode(status({ state: 'none', count: 0 }), 5)).toBe('offer');
    expect(barMode(status({ state: 'none', count: 0 }), 0)).toBe('hidden');
    expect(barMode(status({ state: 'running' }), 5)).toBe('running');
    expect(barMode(status({ state: 'ready' }), 10)).toBe('ready');
    expect(barMode(status({ state: 'ready', count: 0, unlabeled: 0 }), 0)).toBe('hidden');
    expect(barMode(status({ state: 'ready', count: 0, stale: ['new-images'] }), 3)).toBe('ready');
    expect(barMode(status({ state: 'failed', error: { code: 'x', detail: 'y' } }), 3)).toBe('failed');
  });
});
