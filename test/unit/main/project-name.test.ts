import { describe, expect, it } from 'vitest';
import { validateProjectName } from '../../../main/services/project-name';

describe('validateProjectName', () => {
  it('trims and keeps ordinary names, including Unicode', () => {
    expect(validateProjectName('  Shoes vs boots ')).toBe('Shoes vs boots');
    expect(validateProjectName('猫和狗 2026')).toBe('猫和狗 2026');
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['x'.repeat(81), 'longer than 80'],
    ['../x', 'looks like a path'],
    ['..', 'looks like a path'],
    ['a/b', 'not allowed'],
    ['a\\b', 'not allowed'],
    ['C:thing', 'not allowed'],
    ['tab\there', 'not allowed'],
    ['CON', 'Windows reserves'],
    ['nul.txt', 'Windows reserves'],
    ['com1', 'Windows reserves'],
    ['LPT9', 'Windows reserves'],
    ['trailing.', 'ends with a dot'],
  ])('rejects %j (%s)', (name, why) => {
    expect(() => validateProjectName(name)).toThrow(why);
  });

  it('accepts names that only contain reserved words', () => {
    expect(validateProjectName('CONTROL')).toBe('CONTROL');
    expect(validateProjectName('my con')).toBe('my con');
  });
});
