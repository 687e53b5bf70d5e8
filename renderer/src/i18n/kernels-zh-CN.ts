import type { Messages } from './en';

/** 中文：「正在使用哪种计算内核」（`t.kernels`），与 kernels-en.ts 同形。 */
export const kernelsZhCN: Messages['kernels'] = {
  native: (isa) => `计算内核：原生 ${isa}`,
  nativeTitle: (isa, source) => `原生 C 内核，使用 ${isa} 向量指令，${source}：这台电脑上最快的选择。`,
  isa: {
    avx512: 'AVX-512',
    avx2: 'AVX2',
    v4: '4 路 SIMD',
  },
  source: {
    build: '由 npm run build 在这台电脑上编译',
    prebuilt: '随 CNN Studio 附带的预编译模块',
    explicit: '由 CNN_STUDIO_NATIVE_KERNELS 指定的模块',
  },
  wasm: '计算内核：WebAssembly（约慢 3 倍，见 README）',
  wasmTitle:
    '这台电脑没有可用的原生内核：没有本地编译版本（需要 C 编译器），也没有适用于此平台的预编译模块。训练和预测使用编译为 WebAssembly 的同一套内核；README 说明了如何编译原生内核。',
  reference: '计算内核：JavaScript 参考实现（最慢）',
  referenceTitle: 'CNN_STUDIO_KERNELS=reference：可读的参考运算，用于核对结果。',
};
