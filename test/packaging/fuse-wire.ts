/**
 * Electron's fuse wire, as @electron/fuses reads and writes it: the sentinel, then a version byte (1), a length
 * byte, then one byte per fuse: ASCII '0' off, '1' on, 'r' removed.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The V1 fuses in wire order (@electron/fuses FuseV1Options). */
export const FUSES_V1 = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSES_V1)[number];
export type FuseState = 'on' | 'off' | 'removed';

const STATES: Record<string, FuseState> = { '0': 'off', '1': 'on', r: 'removed' };

/** The wire after the sentinel: the byte layout @electron/fuses expects. */
export function encodeFuseWire(fuses: Record<FuseName, boolean>): Buffer {
  const wire = FUSES_V1.map((name) => (fuses[name] ? '1' : '0')).join('');
  return Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire, 'latin1'),
  ]);
}

/** Every fuse of the (single) wire in an executable; throws when there is none or its version is not 1. */
export function readFuseWire(executable: Buffer): Record<FuseName, FuseState> {
  const at = executable.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error('no fuse sentinel in the executable');
  if (executable.indexOf(FUSE_SENTINEL, at + 1, 'latin1') >= 0) throw new Error('more than one fuse wire');
  const p = at + FUSE_SENTINEL.length;
  if (executable[p] !== 1) throw new Error(`fuse wire version ${executable[p]}, expected 1`);
  const length = executable[p + 1];
  if (length < FUSES_V1.length) throw new Error(`fuse wire of ${length} fuses, expected ${FUSES_V1.length}`);
  return Object.fromEntries(
    FUSES_V1.map((name, i) => {
      const byte = String.fromCharCode(executable[p + 2 + i]);
      const state = STATES[byte];
      if (!state) throw new Error(`fuse ${name}: unknown state byte ${executable[p + 2 + i]}`);
      return [name, state];
    }),
  ) as Record<FuseName, FuseState>;
}
