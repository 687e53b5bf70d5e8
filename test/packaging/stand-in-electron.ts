/**
 * A stand-in for Electron's unpacked distribution, for the offline configuration check (package-config.test.ts):
 * electron-builder copies it as `electronDist`, renames the executable and flips the fuses in it. The executable
 * is a shell script that carries the fuse sentinel and wire with Electron's default settings; it cannot run the
 * app. The other files are the ones electron-builder handles in a real dist (the licenses it keeps, the version
 * file); a real dist also holds Chromium's libraries, paks and snapshot files, which the check does not need.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeFuseWire, type FuseName } from './fuse-wire';

/** Electron's own fuse settings (what an app gets when it flips nothing). */
export const ELECTRON_DEFAULT_FUSES: Record<FuseName, boolean> = {
  runAsNode: true,
  enableCookieEncryption: false,
  enableNodeOptionsEnvironmentVariable: true,
  enableNodeCliInspectArguments: true,
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: true,
};

/** Writes the stand-in (Linux layout) into `dir`. */
export function makeStandInElectron(dir: string, version: string): void {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const script = Buffer.from(
    '#!/bin/sh\necho "stand-in Electron for the packaging check: it cannot run the app" >&2\nexit 1\n# ',
  );
  fs.writeFileSync(
    path.join(dir, 'electron'),
    Buffer.concat([script, encodeFuseWire(ELECTRON_DEFAULT_FUSES), Buffer.from('\n')]),
    {
      mode: 0o755,
    },
  );
  fs.writeFileSync(path.join(dir, 'version'), version);
  fs.writeFileSync(path.join(dir, 'LICENSE'), "stand-in for Electron's LICENSE\n");
  fs.writeFileSync(path.join(dir, 'LICENSES.chromium.html'), "<!-- stand-in for Chromium's licenses -->\n");
}
