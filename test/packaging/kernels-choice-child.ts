/** Child of prebuilt-kernels.test.ts: which kernels this process picked, from which addon file, and what app:info says. */
import { fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { kernelsInfo } from '../../native-workers/kernels/kernels-info';
import { nativeAddonSource, nativeLoadError } from '../../native-workers/kernels/native-kernels';

process.stdout.write(
  JSON.stringify({
    backend: fastKernelsBackend(),
    source: nativeAddonSource(),
    error: nativeLoadError(),
    info: kernelsInfo(),
  }),
);
