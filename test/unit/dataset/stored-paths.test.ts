import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkStoredExt,
  checkStoredSha,
  isInside,
  pathInside,
  safeSegment,
} from '../../../main/services/dataset/stored-paths';

describe('stored path rules', () => {
  it('a sha256 is exactly 64 lowercase hex digits', () => {
    expect(checkStoredSha('a'.repeat(64))).toBe('a'.repeat(64));
    for (const bad of [
      'A'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `../${'a'.repeat(61)}`,
      `${'a'.repeat(63)}/`,
      7,
    ])
      expect(() => checkStoredSha(bad)).toThrow(/invalid sha256/);
  });

  it('an ext is one the importer stores', () => {
    for (const ext of ['jpg', 'png', 'webp', 'gif', 'tif', 'avif', 'heic'])
      expect(checkStoredExt(ext)).toBe(ext);
    for (const bad of ['', 'PNG', 'exe', 'png/../x', '..\\x', '/etc/passwd', 'png\u0000', null])
      expect(() => checkStoredExt(bad)).toThrow(/invalid ext/);
  });

  it('safeSegment gives one harmless segment for any text', () => {
    const cases: [string, string][] = [
      ['Cat', 'Cat'],
      ['../../x', '.._.._x'],
      ['..\\x', '.._x'],
      ['/etc/passwd', '_etc_passwd'],
      ['a\u0000b', 'a_b'],
      ['..', '_'],
      ['.', '_'],
      ['', '_'],
      ['trailing. ', 'trailing'],
      ['CON', '_CON'],
      ['con.png', '_con.png'],
      ['lpt1', '_lpt1'],
      ['console', 'console'],
    ];
    for (const [input, expected] of cases) expect(safeSegment(input)).toBe(expected);
  });

  it('isInside and pathInside keep paths strictly under the root', () => {
    const root = path.resolve('/data/out');
    expect(isInside(root, path.join(root, 'a', 'b'))).toBe(true);
    expect(isInside(root, path.join(root, '.._x'))).toBe(true);
    expect(isInside(root, root)).toBe(false);
    expect(isInside(root, path.join(root, '..', 'x'))).toBe(false);
    expect(isInside(root, path.resolve('/data/outside'))).toBe(false);
    expect(pathInside(root, ['..', '../../x', '/abs'])).toBe(path.join(root, '_', '.._.._x', '_abs'));
  });
});
