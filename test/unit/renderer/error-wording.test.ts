import { describe, expect, it } from 'vitest';
import type { AppError, ErrorCode } from '../../../app/ipc/result';
import { chooseErrorWording, errorParams } from '../../../renderer/src/features/dataset/wording/app-errors';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

const TOP_LEVEL: ErrorCode[] = [
  'invalid-payload',
  'unknown-channel',
  'forbidden-sender',
  'not-found',
  'conflict',
  'invalid-name',
  'storage',
  'cancelled',
  'busy',
  'internal',
];

describe('chooseErrorWording', () => {
  it('prefers the caller’s own wording', () => {
    const error: AppError = {
      code: 'conflict',
      message: 'x',
      details: { code: 'label-exists', name: 'Cat' },
    };
    expect(chooseErrorWording(en, error, 'Mine.')).toEqual({ reasons: ['Mine.'], source: 'caller' });
  });

  it('words an invalid payload from its zod issues', () => {
    const error: AppError = {
      code: 'invalid-payload',
      message: 'Invalid payload for projects:create: inputSize: Too big: expected number to be <=256',
      details: {
        issues: [{ path: ['inputSize'], code: 'too_big', origin: 'number', maximum: 256, message: '' }],
      },
    };
    const { reasons, source } = chooseErrorWording(en, error);
    expect(source).toBe('payload');
    expect(reasons).toEqual(['Input size must be at most 256.']);
  });

  it('words a details code with its flat parameters, in each language', () => {
    const error: AppError = {
      code: 'conflict',
      message: 'A label named "Cat" already exists.',
      details: { code: 'label-exists', name: 'Cat' },
    };
    expect(chooseErrorWording(en, error)).toEqual({
      reasons: ['A label named “Cat” already exists.'],
      source: 'details',
    });
    expect(chooseErrorWording(zhCN, error)).toEqual({
      reasons: ['已有名为 “Cat” 的标签。'],
      source: 'details',
    });
  });

  it('words an invalid-payload failure with a details code (no zod issues) by its code', () => {
    const error: AppError = { code: 'invalid-payload', message: 'bad', details: { code: 'bad-model-file' } };
    expect(chooseErrorWording(en, error).source).toBe('details');
  });

  it('falls back to the worded generic of the top-level code, never main’s English', () => {
    for (const code of TOP_LEVEL) {
      for (const details of [undefined, { code: 'not-a-code-this-page-knows' }, ['x'], 'text']) {
        const error: AppError = { code, message: 'Main’s English sentence', details };
        const en1 = chooseErrorWording(en, error);
        const zh1 = chooseErrorWording(zhCN, error);
        if (en1.source === 'payload') continue; // ['x'] parses as an older issue string
        expect(en1).toEqual({ reasons: [en.wording.errorGeneric[code]], source: 'generic' });
        expect(zh1).toEqual({ reasons: [zhCN.wording.errorGeneric[code]], source: 'generic' });
        expect(en1.reasons.join(' ')).not.toContain('Main’s English');
      }
    }
  });

  it('an unknown top-level code (newer main) still gets a worded sentence', () => {
    const error = { code: 'brand-new', message: 'm' } as unknown as AppError;
    expect(chooseErrorWording(en, error)).toEqual({
      reasons: [en.wording.errorGeneric.internal],
      source: 'generic',
    });
  });

  it('does not treat inherited object keys as codes', () => {
    const error: AppError = { code: 'storage', message: 'm', details: { code: 'toString' } };
    expect(chooseErrorWording(en, error).source).toBe('generic');
  });

  it('errorParams: an object’s fields, else none', () => {
    expect(errorParams({ details: { code: 'a', n: 1 } })).toEqual({ code: 'a', n: 1 });
    expect(errorParams({ details: ['a'] })).toEqual({});
    expect(errorParams({ details: undefined })).toEqual({});
  });
});
