import { describe, expect, it } from 'vitest';
import {
  defaultThumbSize,
  readThumbSize,
  thumbSizeKey,
} from '../../../renderer/src/features/dataset/section/thumb-size';

describe('thumbnail size', () => {
  it('defaults to small thumbnails for small images', () => {
    expect(defaultThumbSize(28)).toBe('small');
    expect(defaultThumbSize(32)).toBe('small');
    expect(defaultThumbSize(96)).toBe('medium');
  });

  it('reads the choice stored for this project, else the fallback', () => {
    const store = new Map([[thumbSizeKey('a'), 'large']]);
    const storage = { getItem: (key: string) => store.get(key) ?? null };
    expect(readThumbSize(storage, 'a', 'small')).toBe('large');
    expect(readThumbSize(storage, 'b', 'small')).toBe('small');
    expect(readThumbSize(undefined, 'a', 'medium')).toBe('medium');
  });

  it('ignores a stored value that is not a size', () => {
    const storage = { getItem: () => 'huge' };
    expect(readThumbSize(storage, 'a', 'medium')).toBe('medium');
  });
});
