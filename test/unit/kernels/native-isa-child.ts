/** Child of native-kernels.test.ts: which kernels this process picked under its CNN_STUDIO_NATIVE_ISA. */
import { fastKernelsBackend } from '../../../native-workers/kernels/fast-kernels';
import { nativeLoadError } from '../../../native-workers/kernels/native-kernels';

process.stdout.write(JSON.stringify({ backend: fastKernelsBackend(), error: nativeLoadError() }));
