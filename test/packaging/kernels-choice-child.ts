/** Child of prebuilt-kernels.test.ts: which kernels this process picked, and from which addon file. */
import { fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { nativeAddonSource, nativeLoadError } from '../../native-workers/kernels/native-kernels';

process.stdout.write(
  JSON.stringify({ backend: fastKernelsBackend(), source: nativeAddonSource(), error: nativeLoadError() }),
);
