/**
 * A configuration check of electron-builder.yml, offline: `electron-builder --linux dir` against a stand-in
 * Electron (./stand-in-electron.ts: the fuse wire, no Chromium) with npmRebuild off (rebuilding better-sqlite3 for
 * Electron needs Electron's headers from the network). It proves what the configuration puts where and that the
 * fuses are flipped; it cannot start the packaged app (see the README's "Installers"). Network access is cut off
 * through an unreachable proxy, so a download attempt fails the check. Needs `npm run build` first
 * (`npm run dist:check` does both). About a minute.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAsarIndex, type AsarEntry } from './asar-index';
import { FUSES_V1, readFuseWire, type FuseName, type FuseState } from './fuse-wire';
import { ELECTRON_DEFAULT_FUSES, makeStandInElectron } from './stand-in-electron';
import { makeTempDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const electronVersion = (
  JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** What electron-builder.yml asks for. */
const EXPECTED_FUSES: Record<FuseName, FuseState> = {
  runAsNode: 'off',
  enableCookieEncryption: 'on',
  enableNodeOptionsEnvironmentVariable: 'off',
  enableNodeCliInspectArguments: 'off',
  enableEmbeddedAsarIntegrityValidation: 'on',
  onlyLoadAppFromAsar: 'on',
  loadBrowserProcessSpecificV8Snapshot: 'off',
  grantFileProtocolExtraPrivileges: 'off',
};

const workerNames = fs
  .readdirSync(path.join(root, 'native-workers'))
  .filter((f) => f.endsWith('-worker.ts'))
  .map((f) => f.replace(/\.ts$/, '.js'));

const temp = makeTempDir('cnn-studio-package-');
const appDir = path.join(temp.dir, 'dist', 'linux-unpacked');
const resources = path.join(appDir, 'resources');
const unpacked = path.join(resources, 'app.asar.unpacked');
let index: Map<string, AsarEntry>;
let log = '';
/** The fuses of the stand-in executable before packaging. */
let fusesBefore: Record<FuseName, FuseState>;

beforeAll(async () => {
  for (const f of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'])
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: npm run build first`);
  const electronDist = path.join(temp.dir, 'electron-dist');
  makeStandInElectron(electronDist, electronVersion);
  fusesBefore = readFuseWire(fs.readFileSync(path.join(electronDist, 'electron')));
  const offline = 'http://127.0.0.1:9'; // the discard port: every request through it fails at once
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        path.join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--x64',
        '--config',
        'electron-builder.yml',
        '-c.npmRebuild=false',
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${path.join(temp.dir, 'dist')}`,
        '-c.compression=store',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        env: {
          ...process.env,
          HTTP_PROXY: offline,
          HTTPS_PROXY: offline,
          http_proxy: offline,
          https_proxy: offline,
          NO_PROXY: '',
          ELECTRON_BUILDER_CACHE: path.join(temp.dir, 'cache'),
          ELECTRON_CACHE: path.join(temp.dir, 'cache'),
          CSC_IDENTITY_AUTO_DISCOVERY: 'false',
        },
      },
    );
    log = stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`electron-builder failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  index = readAsarIndex(path.join(resources, 'app.asar'));
}, 600_000);
afterAll(temp.cleanup);

describe('electron-builder.yml (offline configuration check against a stand-in Electron)', () => {
  it('flips the fuses in the packaged executable', () => {
    const exe = path.join(appDir, 'cnn-studio');
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
    const fuses = readFuseWire(fs.readFileSync(exe));
    expect(fuses).toEqual(EXPECTED_FUSES);
    // the stand-in started from Electron's defaults, so each of these was flipped by the packaging
    expect(fusesBefore).toEqual(
      Object.fromEntries(FUSES_V1.map((f) => [f, ELECTRON_DEFAULT_FUSES[f] ? 'on' : 'off'])),
    );
    const flipped = FUSES_V1.filter((f) => fusesBefore[f] !== fuses[f]);
    expect(flipped).toEqual([
      'runAsNode',
      'enableCookieEncryption',
      'enableNodeOptionsEnvironmentVariable',
      'enableNodeCliInspectArguments',
      'enableEmbeddedAsarIntegrityValidation',
      'onlyLoadAppFromAsar',
      'grantFileProtocolExtraPrivileges',
    ]);
  });

  it('puts the built app into app.asar, and no benchmarks, test bridges or source maps', () => {
    for (const f of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html', 'package.json'])
      expect(index.get(f), f).toMatchObject({ unpacked: false });
    expect(index.has('out/cli/index.js')).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(index.has(manifest.main)).toBe(true);
    const assets = [...index.keys()].filter((f) => f.startsWith('out/renderer/assets/'));
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    const stray = [...index.keys()].filter(
      (f) => /^out\/(bench|test-bridge|test-cli)\//.test(f) || (f.startsWith('out/') && f.endsWith('.map')),
    );
    expect(stray).toEqual([]);
    // devDependencies stay out
    expect([...index.keys()].some((f) => f.startsWith('node_modules/electron/'))).toBe(false);
    expect([...index.keys()].some((f) => f.startsWith('node_modules/vitest/'))).toBe(false);
  });

  it('unpacks the native modules, the kernels addon and the workers next to app.asar', () => {
    const nativeFiles = [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'prebuilds/linux-x64/cnn_kernels.node',
      ...(fs.existsSync(path.join(root, 'out/native/cnn_kernels.node'))
        ? ['out/native/cnn_kernels.node']
        : []),
      ...workerNames.map((w) => `out/workers/${w}`),
    ];
    const sharpBinary = [...index.keys()].find((f) =>
      /^node_modules\/@img\/sharp-[^/]+\/lib\/sharp-[^/]+\.node$/.test(f),
    );
    expect(sharpBinary, "sharp's @img binary").toBeDefined();
    for (const f of [...nativeFiles, sharpBinary!]) {
      expect(index.get(f), f).toMatchObject({ unpacked: true });
      expect(fs.existsSync(path.join(unpacked, f)), `app.asar.unpacked/${f}`).toBe(true);
    }
  });

  it("loads every worker's modules and the kernels addon from the unpacked tree alone, as a worker does", async () => {
    // the externals the worker bundles require or import at run time
    const required = new Set<string>();
    const imported = new Set<string>();
    for (const w of workerNames) {
      const code = fs.readFileSync(path.join(unpacked, 'out/workers', w), 'utf8');
      for (const m of code.matchAll(/\brequire\("([^".][^"]*)"\)/g))
        if (!m[1].startsWith('node:')) required.add(m[1]);
      for (const m of code.matchAll(/\bimport\("([^".][^"]*)"\)/g))
        if (!m[1].startsWith('node:')) imported.add(m[1]);
    }
    expect(required.has('better-sqlite3')).toBe(true);
    expect(imported.has('onnxruntime-web')).toBe(true);
    const target = `${process.platform}-${process.arch}`;
    const addons = ['../native/cnn_kernels.node', `../../prebuilds/${target}/cnn_kernels.node`].filter((a) =>
      fs.existsSync(path.join(unpacked, 'out/workers', a)),
    );
    const script = path.join(unpacked, 'out/workers', 'load-check.cjs');
    fs.copyFileSync(path.join(__dirname, 'load-check.cjs'), script);
    const { stdout } = await run(
      process.execPath,
      [script, JSON.stringify({ required: [...required], imported: [...imported], addons })],
      { cwd: temp.dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
    );
    const result = JSON.parse(stdout) as { modules: Record<string, string>; addons: Record<string, unknown> };
    const failed = Object.entries(result.modules).filter(([, v]) => v.startsWith('error'));
    expect(failed).toEqual([]);
    expect(result.modules['require better-sqlite3']).toBe('42');
    // resolved inside the unpacked tree, where the worker's own resolution ends up too
    expect(result.modules['import onnxruntime-web']).toMatch(/^node_modules\/onnxruntime-web\//);
    if (target === 'linux-x64') expect(addons.length).toBeGreaterThan(0);
    for (const [file, isas] of Object.entries(result.addons)) expect(isas, file).toContain('v4');
  }, 120_000);

  it('has the app icon (1024 and 512 px PNGs rendered from icon.svg) and the .cnnmodel association', async () => {
    for (const [file, size] of [
      ['icon.png', 1024],
      ['icon-512.png', 512],
    ] as const) {
      const meta = await sharp(path.join(root, 'build-resources', file)).metadata();
      expect(meta).toMatchObject({ format: 'png', width: size, height: size });
    }
    const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/fileAssociations:\s*\n\s*- ext: cnnmodel/);
    expect(log).not.toMatch(/download/i);
  });
});
