import { describe, expect, it } from 'vitest';
import { kernelsWording } from '../../../renderer/src/features/kernels/kernels-note';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

describe('kernels wording (Train section: which kernels run)', () => {
  it('names the native instruction set and where the addon came from', () => {
    const w = kernelsWording(en.kernels, { kind: 'native', isa: 'avx512', source: 'prebuilt' });
    expect(w.text).toBe('Kernels: native AVX-512');
    expect(w.title).toContain('prebuilt addon');
    expect(kernelsWording(en.kernels, { kind: 'native', isa: 'v4', source: 'build' }).text).toBe(
      'Kernels: native 4-lane SIMD',
    );
    expect(kernelsWording(zhCN.kernels, { kind: 'native', isa: 'avx2', source: 'build' })).toEqual({
      text: '计算内核：原生 AVX2',
      title: expect.stringContaining('npm run build') as string,
    });
  });

  it('says the WebAssembly kernels are about 3× slower and points at the README', () => {
    expect(kernelsWording(en.kernels, { kind: 'wasm', relaxedSimd: false }).text).toBe(
      'Kernels: WebAssembly (about 3× slower: see README)',
    );
    expect(kernelsWording(zhCN.kernels, { kind: 'wasm', relaxedSimd: true }).text).toContain('约慢 3 倍');
  });

  it('shows an instruction set it has no name for as it is, and the reference ops', () => {
    expect(kernelsWording(en.kernels, { kind: 'native', isa: 'sve2', source: 'explicit' }).text).toBe(
      'Kernels: native sve2',
    );
    expect(kernelsWording(en.kernels, { kind: 'reference' }).text).toMatch(/reference/);
  });
});
