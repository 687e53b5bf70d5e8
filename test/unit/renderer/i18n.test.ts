import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en';
import { LOCALES, pickLocale } from '../../../renderer/src/i18n/i18n';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

/** Every leaf of a dictionary as [path, value]. */
function leaves(node: unknown, prefix = ''): [string, unknown][] {
  if (typeof node !== 'object' || node === null) return [[prefix, node]];
  return Object.entries(node).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

describe('i18n', () => {
  it('picks Chinese for any zh tag and English otherwise', () => {
    expect(pickLocale(['zh-CN'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale(['zh'])).toBe('zh-CN');
    expect(pickLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLocale(['fr-FR', 'zh-CN'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'de'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it.each(Object.keys(LOCALES))(
    '%s has every English key, with the same kind of value, and no empty text',
    (key) => {
      const messages = LOCALES[key as keyof typeof LOCALES].messages;
      const reference = new Map(leaves(en));
      const actual = new Map(leaves(messages));
      expect([...actual.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [path, value] of actual) {
        const expected = reference.get(path);
        expect(typeof value, path).toBe(typeof expected);
        if (typeof value === 'string') expect(value.trim(), path).not.toBe('');
        if (typeof value === 'function' && typeof expected === 'function') {
          expect(value.length, path).toBe(expected.length);
          // A Number object works as a number (toFixed, <, toLocaleString) and as a string in a template.
          const args = Array.from({ length: value.length }, () => new Number(3));
          expect(String(value(...args)).trim(), path).not.toBe('');
        }
      }
    },
  );

  it('really translates (not a copy of English)', () => {
    expect(zhCN.projects.newProject).not.toBe(en.projects.newProject);
    expect(zhCN.empty.dataset.title).toBe('导入图像以开始');
  });
});
