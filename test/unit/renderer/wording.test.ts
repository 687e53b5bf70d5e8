import { describe, expect, it } from 'vitest';
import type { ActionDescription, HealthIssue } from '../../../app/domain/dataset';
import { PROJECT_LIMITS } from '../../../app/domain/project';
import { en, type Messages } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';
import {
  ACTION_KINDS,
  undoTooltip,
  wordAction,
} from '../../../renderer/src/features/dataset/wording/actions';
import {
  inputSizeProblem,
  payloadIssues,
  projectNameProblem,
  wordAppError,
} from '../../../renderer/src/features/dataset/wording/form-errors';
import { HEALTH_KINDS, wordHealthIssue } from '../../../renderer/src/features/dataset/wording/health';
import { LABEL_CHANGE_CAUSES, wordCause } from '../../../renderer/src/features/dataset/wording/history';
import {
  IMPORT_ISSUE_CODES,
  wordImportIssue,
} from '../../../renderer/src/features/dataset/wording/import-issues';

const languages: [string, Messages][] = [
  ['en', en],
  ['zh-CN', zhCN],
];
/** A run of 3+ Latin letters: English left in a Chinese sentence (user data in these samples is CJK or digits). */
const LATIN = /[A-Za-z]{3,}/;

function sampleAction(kind: ActionDescription['kind']): ActionDescription {
  switch (kind) {
    case 'label':
      return { kind, count: 3, label: '包' };
    case 'accept-suggestions':
    case 'remove':
    case 'restore':
      return { kind, count: 2000 };
    case 'split':
      return { kind, count: 3, split: 'val' };
    case 'create-label':
    case 'recolor-label':
      return { kind, label: '猫' };
    case 'rename-label':
      return { kind, from: '猫', to: '狗' };
    case 'merge-labels':
      return { kind, sources: ['猫', '狗'], target: '动物', count: 12 };
    case 'delete-label':
      return { kind, label: '猫', count: 4 };
    case 'other':
      return { kind, text: '旧操作' };
  }
}

function sampleHealth(kind: HealthIssue['kind']): HealthIssue {
  return {
    kind,
    severity: 'warning',
    message: 'English for the CLI',
    params: {
      images: 5,
      groups: 2,
      ratio: 10,
      limit: 10,
      labels: [
        { name: '猫', count: 50 },
        { name: '狗', count: 5 },
      ],
      split: 'val',
      side: 16,
      files: 3,
    },
    imageIds: [1, 2, 3, 4, 5],
    count: 5,
  };
}

describe.each(languages)('wording in %s', (lang, t) => {
  const zh = lang === 'zh-CN';

  it('words every import issue code (params included), never with the English reason', () => {
    for (const code of IMPORT_ISSUE_CODES) {
      const text = wordImportIssue(t, {
        code,
        params: {
          ext: '.txt',
          mebibytes: 300,
          width: 20000,
          height: 20000,
          megapixels: 400,
          limitMegapixels: 268,
          format: 'TIFF',
        },
        reason: 'not an image sharp can read',
      });
      expect(text.trim(), code).not.toBe('');
      expect(text, code).not.toContain('sharp');
      expect(Object.keys(t.wording.importIssue)).toContain(code);
      if (zh) expect(text.replace(/HEIC|JPEG|PNG|TIFF|\.txt|MB/g, ''), code).not.toMatch(LATIN);
    }
    // A code this page does not know: the generic reason.
    expect(wordImportIssue(t, { code: 'from-the-future' as never, reason: 'x' })).toBe(
      t.wording.importIssueFallback,
    );
  });

  it('words every health kind with one consistent count', () => {
    for (const kind of HEALTH_KINDS) {
      const text = wordHealthIssue(t, sampleHealth(kind));
      expect(text.trim(), kind).not.toBe('');
      if (zh) expect(text, kind).not.toMatch(LATIN);
    }
    const leakage = wordHealthIssue(t, sampleHealth('leakage'));
    expect(leakage).toContain('5');
    expect(leakage).toContain('2');
    expect(t.wording.health.selectImages(5)).toContain('5');
  });

  it('words every label-history cause', () => {
    for (const cause of LABEL_CHANGE_CAUSES) {
      const text = wordCause(t, cause);
      expect(text.trim(), cause).not.toBe('');
      if (zh) expect(text, cause).not.toMatch(LATIN);
    }
    expect(wordCause(t, 'something-new')).toBe(t.wording.cause.other);
  });

  it('words every undo/redo action kind, numbers by locale', () => {
    for (const kind of ACTION_KINDS) {
      const text = wordAction(t, sampleAction(kind));
      expect(text.trim(), kind).not.toBe('');
      if (zh) expect(text, kind).not.toMatch(LATIN);
    }
    expect(wordAction(t, { kind: 'remove', count: 2000 })).toContain('2,000');
    expect(undoTooltip(t, 'undo', null, null)).toBe(t.dataset.nothingToUndo);
  });

  it('words an invalid payload from its zod issues (objects or the older strings)', () => {
    const fromObjects = wordAppError(t, {
      code: 'invalid-payload',
      message: 'Invalid payload for projects:create: inputSize: Too big: expected number to be <=256',
      details: [{ code: 'too_big', path: ['inputSize'], origin: 'number', maximum: 256, inclusive: true }],
    });
    const fromStrings = wordAppError(t, {
      code: 'invalid-payload',
      message: 'Invalid payload for projects:create: inputSize: Too big: expected number to be <=256',
      details: ['inputSize: Too big: expected number to be <=256'],
    });
    expect(fromObjects).toEqual(fromStrings);
    expect(fromObjects[0]).toContain(t.wording.fields.inputSize);
    expect(fromObjects[0]).toContain('256');
    expect(fromObjects[0]).not.toContain('Too big');
    if (zh) expect(fromObjects[0]).not.toMatch(LATIN);
    expect(
      payloadIssues({
        details: { issues: [{ code: 'too_small', path: ['name'], origin: 'string', minimum: 1 }] },
      }),
    ).toHaveLength(1);
  });

  it('words a too-long text from main (bounds without origin) as characters', () => {
    const [text] = wordAppError(t, {
      code: 'invalid-payload',
      message: 'x',
      details: {
        issues: [
          {
            path: ['name'],
            code: 'too_big',
            maximum: 100,
            message: 'Too big: expected string to have <=100 characters',
          },
        ],
      },
    });
    expect(text).toBe(t.wording.rule.tooLong(t.wording.fields.name, 100));
  });

  it('checks the new project form with the shared limits', () => {
    expect(inputSizeProblem(t, String(PROJECT_LIMITS.maxInputSize))).toBeNull();
    expect(inputSizeProblem(t, String(PROJECT_LIMITS.minInputSize))).toBeNull();
    expect(inputSizeProblem(t, String(PROJECT_LIMITS.maxInputSize + 1))).toContain(
      String(PROJECT_LIMITS.maxInputSize),
    );
    expect(inputSizeProblem(t, String(PROJECT_LIMITS.minInputSize - 1))).toContain(
      String(PROJECT_LIMITS.minInputSize),
    );
    expect(inputSizeProblem(t, '12.5')).toBe(t.wording.rule.notInteger(t.wording.fields.inputSize));
    expect(inputSizeProblem(t, '')).toBeNull();
    expect(projectNameProblem(t, ' ')).toBe(t.wording.name.empty);
    expect(projectNameProblem(t, '../x')).toBe(t.wording.name.path);
    expect(projectNameProblem(t, 'a/b')).toBe(t.wording.name.forbiddenChar);
    expect(projectNameProblem(t, 'CON')).toBe(t.wording.name.reserved);
    expect(projectNameProblem(t, 'x'.repeat(PROJECT_LIMITS.nameMaxLength + 1))).toBe(
      t.wording.name.tooLong(PROJECT_LIMITS.nameMaxLength),
    );
    expect(projectNameProblem(t, '手写数字')).toBeNull();
  });
});

describe('wording dictionaries', () => {
  it('have the same keys in en and zh-CN for codes, kinds, causes and actions', () => {
    for (const part of ['importIssue', 'health', 'cause', 'action'] as const) {
      expect(Object.keys(zhCN.wording[part]).sort(), part).toEqual(Object.keys(en.wording[part]).sort());
    }
  });

  it('words the examples of the issue', () => {
    expect(wordAction(en, { kind: 'label', count: 3, label: 'Bag' })).toBe('Labeled 3 images “Bag”');
    expect(wordAction(zhCN, { kind: 'label', count: 3, label: 'Bag' })).toBe('已将 3 张图像标注为“Bag”');
    expect(wordHealthIssue(en, sampleHealth('leakage'))).toBe(
      '5 images in 2 groups appear in more than one split.',
    );
    expect(en.wording.health.selectImages(5)).toBe('Select these 5 images');
  });
});
