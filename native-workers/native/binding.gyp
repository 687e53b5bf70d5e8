# The native kernels addon (Node-API, so one build loads in Node and Electron). Built by scripts/build-native.mjs
# during `npm run build`; when it cannot be built (no C compiler), the app uses the WebAssembly kernels.
# Each instruction set's kernels are a static library with its own compiler flags; addon.c picks one at run time.
{
  'target_defaults': {
    # the kernels themselves (kernels-impl.h, common.h) are shared with the WebAssembly build
    'include_dirs': ['../kernels/src'],
    'cflags_c': ['-std=gnu11', '-O3', '-fno-math-errno', '-ffp-contract=fast', '-fno-strict-aliasing'],
    'xcode_settings': {
      'OTHER_CFLAGS': ['-std=gnu11', '-O3', '-fno-math-errno', '-ffp-contract=fast'],
    },
  },
  'targets': [
    {
      'target_name': 'kernels_v4',
      'type': 'static_library',
      'sources': ['src/kernels-v4.c'],
    },
    {
      'target_name': 'cnn_kernels',
      'sources': ['src/addon.c'],
      # the optimizer ops in addon.c must round exactly like JavaScript: no fused multiply-adds (no trapping math
      # changes no result, and lets the compiler vectorise adamMaskedSlice's selects)
      'cflags_c': ['-ffp-contract=off', '-fno-trapping-math'],
      'xcode_settings': { 'OTHER_CFLAGS': ['-ffp-contract=off', '-fno-trapping-math'] },
      'dependencies': ['kernels_v4'],
      'conditions': [
        ['target_arch=="x64"', {
          'defines': ['CNN_KERNELS_X86'],
          'dependencies': ['kernels_avx2', 'kernels_avx512'],
        }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'kernels_avx2',
          'type': 'static_library',
          'sources': ['src/kernels-avx2.c'],
          'cflags_c': ['-mavx2', '-mfma'],
          'xcode_settings': { 'OTHER_CFLAGS': ['-mavx2', '-mfma'] },
        },
        {
          'target_name': 'kernels_avx512',
          'type': 'static_library',
          'sources': ['src/kernels-avx512.c'],
          'cflags_c': ['-mavx512f', '-mfma'],
          'xcode_settings': { 'OTHER_CFLAGS': ['-mavx512f', '-mfma'] },
        },
      ],
    }],
  ],
}
