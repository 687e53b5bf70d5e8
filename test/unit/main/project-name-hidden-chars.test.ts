import { describe, expect, it } from 'vitest';
import { hiddenCharacter, revealHiddenCharacters } from '../../../app/domain/name-characters';
import { brokenProjectNameRule } from '../../../app/domain/project-name-rules';
import { validateLabelName } from '../../../main/services/dataset/label-ops';
import { validateProjectName } from '../../../main/services/project-name';
import {
  labelNameProblem,
  projectNameProblem,
} from '../../../renderer/src/features/dataset/wording/form-errors';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

/** Every code point issue 13 item 10 lists, range ends included, plus C1 controls. */
const HIDDEN = [
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200b, 0x200c, 0x200d, 0x200e,
  0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x061c, 0x180e, 0x0085, 0x009f,
];
/** Names that look like what they are: letters of many scripts, emoji, punctuation. */
const VISIBLE = [
  'Fashion',
  'Café crème',
  '猫和狗',
  'قطط',
  'כלבים',
  'Ελληνικά',
  '🐱 cats',
  'a-b_c (1)',
  'x\u00a0y',
];

const failureOf = (fn: () => unknown): { code?: string; char?: string } => {
  try {
    fn();
  } catch (error) {
    return (error as { details: { code?: string; char?: string } }).details;
  }
  throw new Error('accepted');
};

/** Issue 13 item 10: names that display as something else (bidi overrides, zero-width characters) are refused. */
describe('hidden characters in names', () => {
  it('finds each listed character, anywhere in a name, as U+XXXX', () => {
    for (const cp of HIDDEN) {
      const ch = String.fromCodePoint(cp);
      const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      for (const name of [`${ch}abc`, `ab${ch}c`, `abc${ch}`]) expect(hiddenCharacter(name), hex).toBe(hex);
    }
    for (const name of VISIBLE) expect(hiddenCharacter(name), name).toBeNull();
  });

  it('main refuses them in project and label names with a code and the character as params', () => {
    const spoof = 'invoice\u202Egpj.exe'; // shows as "invoiceexe.jpg"
    expect(brokenProjectNameRule(spoof)).toBe('project-name-hidden-char');
    expect(failureOf(() => validateProjectName(spoof))).toMatchObject({
      code: 'project-name-hidden-char',
      char: 'U+202E',
    });
    expect(failureOf(() => validateProjectName('Fash\u200Bion'))).toMatchObject({ char: 'U+200B' });
    expect(failureOf(() => validateLabelName('cat\u2066'))).toMatchObject({
      code: 'label-name-hidden-char',
      char: 'U+2066',
    });
    for (const name of VISIBLE) {
      expect(validateProjectName(name)).toBe(name);
      expect(validateLabelName(name)).toBe(name);
    }
  });

  it('keeps the joiners where they change what is seen: Persian, Indic conjuncts, emoji sequences', () => {
    const visible = [
      'می\u200Cخواهم', // Persian "I want": the non-joiner is part of the spelling
      'क्\u200Dष', // Devanagari half-form conjunct
      'র্\u200Cয', // Bengali
      '👩\u200D💻 team',
      '👍🏽\u200D👍 ok', // after a skin tone
    ];
    for (const name of visible) {
      expect(hiddenCharacter(name), name).toBeNull();
      expect(validateProjectName(name)).toBe(name);
      expect(validateLabelName(name)).toBe(name);
    }
    const hidden: [string, string][] = [
      ['Co\u200Cat', 'U+200C'], // inside a Latin word: two names that look the same
      ['Co\u200Dat', 'U+200D'],
      ['می\u200C', 'U+200C'], // at the end: joins nothing
      ['\u200Cخواهم', 'U+200C'],
      ['👩\u200Dx', 'U+200D'], // not an emoji sequence
      ['a\u200C👩', 'U+200C'],
    ];
    for (const [name, char] of hidden) expect(hiddenCharacter(name), name).toBe(char);
  });

  it("main's message writes the characters out, so the refused name cannot reorder it in a terminal or log", () => {
    expect(revealHiddenCharacters('invoice\u202Egpj.exe\u200B')).toBe('invoice<U+202E>gpj.exe<U+200B>');
    let message = '';
    try {
      validateProjectName('invoice\u202Egpj.exe');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"invoice<U+202E>gpj.exe"');
    expect(hiddenCharacter(message)).toBeNull();
  });

  it('the forms say it as the user types, in English and Chinese, naming the character', () => {
    for (const t of [en, zhCN]) {
      expect(projectNameProblem(t, 'a\uFEFFb')).toContain('U+FEFF');
      expect(labelNameProblem(t, 'a\u061Cb', 100)).toContain('U+061C');
      expect(projectNameProblem(t, 'Café')).toBeNull();
    }
  });
});
