/**
 * The prebuilt kernels addon (prebuilds/<platform>-<arch>/cnn_kernels.node, made by scripts/prebuild-kernels.mjs)
 * that ships for users without a C compiler: built from the current sources, small and stripped, passing every
 * native kernel test (test/unit/kernels/native-kernels.test.ts run against it), and chosen by the loader when
 * there is no local build, in the packaged layout too.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelsInfo } from '../../app/domain/app-info';
import { createHandlerTable } from '../../main/ipc/handler-table';
import { fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { addonCandidates, nativeAddonSource } from '../../native-workers/kernels/native-kernels';
import { bundleForNode } from '../support/bundle';
import { makeTestServices } from '../support/services';
import { makeTempDir } from '../support/temp-dir';

const root = path.resolve(__dirname, '../..');
const target = `${process.platform}-${process.arch}`;
const FILE = 'cnn_kernels.node';
/** The targets this repository ships a prebuild for (the ones this project's machines can build with clang). */
const SHIPPED = ['linux-x64'];
const prebuild = path.join(root, 'prebuilds', target, FILE);
const run = promisify(execFile);

interface Stamp {
  target: string;
  compiler: string;
  sources: Record<string, string>;
}

/** The addon's sources as prebuild-kernels.mjs lists them. */
function currentSources(): string[] {
  const list = (d: string, pattern: RegExp) =>
    fs
      .readdirSync(path.join(root, d))
      .filter((f) => pattern.test(f))
      .map((f) => `${d}/${f}`);
  return [
    'native-workers/native/binding.gyp',
    ...list('native-workers/native/src', /\.[ch]$/),
    ...list('native-workers/kernels/src', /\.h$/),
  ].sort();
}

const stamps = fs.existsSync(path.join(root, 'prebuilds'))
  ? fs.readdirSync(path.join(root, 'prebuilds')).map((t) => path.join(root, 'prebuilds', t))
  : [];

describe('prebuilt kernels addon', () => {
  it('ships for every target in SHIPPED, each with the stamp of its sources', () => {
    for (const t of SHIPPED) {
      expect(fs.existsSync(path.join(root, 'prebuilds', t, FILE)), `prebuilds/${t}/${FILE}`).toBe(true);
      expect(fs.existsSync(path.join(root, 'prebuilds', t, 'cnn_kernels.json')), `${t} stamp`).toBe(true);
    }
  });

  it.each(stamps.map((d) => path.basename(d)))(
    '%s is built from the current sources (else: npm run prebuild:kernels)',
    (t) => {
      const stamp = JSON.parse(
        fs.readFileSync(path.join(root, 'prebuilds', t, 'cnn_kernels.json'), 'utf8'),
      ) as Stamp;
      expect(stamp.target).toBe(t);
      // clang before 16 builds these kernels 4–5× slower (scripts/prebuild-kernels.mjs refuses it)
      const clang = /clang version (\d+)/.exec(stamp.compiler);
      expect(Number(clang?.[1]), stamp.compiler).toBeGreaterThanOrEqual(16);
      expect(Object.keys(stamp.sources).sort()).toEqual(currentSources());
      const changed = currentSources().filter(
        (f) =>
          createHash('sha256')
            .update(fs.readFileSync(path.join(root, f)))
            .digest('hex') !== stamp.sources[f],
      );
      expect(changed, 'sources changed since the prebuild').toEqual([]);
    },
  );

  it.each(stamps.map((d) => path.basename(d)))('%s is stripped and small', (t) => {
    const bytes = fs.readFileSync(path.join(root, 'prebuilds', t, FILE));
    // Three instruction sets of register-tiled kernels (specialised tile sizes for conv, dense, conv + pool, batch
    // norm) are about 570 KiB of code; debug information or an unstripped symbol table would add several MiB.
    expect(bytes.length).toBeLessThan(1024 * 1024);
    if (t.startsWith('linux-')) {
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(bytes.includes('.symtab'), 'a symbol table (not stripped)').toBe(false);
      expect(bytes.includes(root), 'the build folder embedded').toBe(false);
    }
  });

  it.runIf(fs.existsSync(prebuild))(
    `passes the native kernel tests (${target}: every instruction set against the reference ops, bad calls, worker threads, the optimizer loops bit for bit)`,
    async () => {
      const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
      const { stdout } = await run(
        process.execPath,
        [vitest, 'run', 'test/unit/kernels/native-kernels.test.ts', '--reporter=json'],
        {
          cwd: root,
          encoding: 'utf8',
          maxBuffer: 64 << 20,
          // CI=1: a prebuild that does not load fails instead of skipping
          env: { ...process.env, CNN_STUDIO_NATIVE_KERNELS: prebuild, CNN_STUDIO_KERNELS: '', CI: '1' },
        },
      ).catch((e: { stdout?: string; message: string }) => {
        if (e.stdout) return { stdout: e.stdout };
        throw e;
      });
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        testResults: { assertionResults: { fullName: string; status: string }[] }[];
      };
      const failed = report.testResults
        .flatMap((r) => r.assertionResults)
        .filter((a) => a.status !== 'passed')
        .map((a) => `${a.status}: ${a.fullName}`);
      expect(failed).toEqual([]);
      expect(report.numPassedTests).toBeGreaterThan(20);
    },
    180_000,
  );
});

describe('app:info', () => {
  it('says which kernels this process runs', async () => {
    const t = makeTestServices();
    try {
      const info = await createHandlerTable()['app:info'](t.services, {});
      const backend = fastKernelsBackend();
      if (backend.startsWith('native-'))
        expect(info.kernels).toEqual({
          kind: 'native',
          isa: backend.slice('native-'.length),
          source: nativeAddonSource(),
        });
      else expect(info.kernels.kind).toBe(backend.startsWith('wasm-') ? 'wasm' : 'reference');
    } finally {
      await t.cleanup();
    }
  });
});

describe('kernels addon loader', () => {
  it('prefers a local build, then the prebuild for this platform; in a packaged app both are unpacked', () => {
    const main = path.join('/opt', 'CNN Studio', 'resources', 'app.asar', 'out', 'main');
    const list = addonCandidates(undefined, main, '/home/u', 'win32-x64');
    expect(list).toEqual([
      {
        path: path.join('/opt', 'CNN Studio', 'resources', 'app.asar.unpacked', 'out', 'native', FILE),
        source: 'build',
      },
      { path: path.join('/home/u', 'out', 'native', FILE), source: 'build' },
      {
        path: path.join(
          '/opt',
          'CNN Studio',
          'resources',
          'app.asar.unpacked',
          'prebuilds',
          'win32-x64',
          FILE,
        ),
        source: 'prebuilt',
      },
      { path: path.join('/home/u', 'prebuilds', 'win32-x64', FILE), source: 'prebuilt' },
    ]);
    expect(addonCandidates('/x/k.node', main)).toEqual([{ path: '/x/k.node', source: 'explicit' }]);
  });

  describe.runIf(fs.existsSync(prebuild))('in a child process laid out like the package', () => {
    // app/out/workers/child.js with app/prebuilds/<target>/ (and app/out/native/ for a local build), as in
    // resources/app.asar.unpacked; the working folder is elsewhere, so only the bundle-relative paths count
    const temp = makeTempDir('kernels-choice-');
    afterAll(temp.cleanup);
    const app = path.join(temp.dir, 'app');
    const child = path.join(app, 'out', 'workers', 'child.js');
    const elsewhere = path.join(temp.dir, 'cwd');
    const place = (rel: string, present: boolean) => {
      const file = path.join(app, rel, FILE);
      if (present) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.copyFileSync(prebuild, file);
      } else fs.rmSync(file, { force: true });
    };
    const choice = async () => {
      if (!fs.existsSync(child)) {
        await bundleForNode(path.join(__dirname, 'kernels-choice-child.ts'), child);
        fs.mkdirSync(elsewhere, { recursive: true });
      }
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.CNN_STUDIO_NATIVE_KERNELS;
      delete env.CNN_STUDIO_KERNELS;
      delete env.CNN_STUDIO_NATIVE_ISA;
      const { stdout } = await run(process.execPath, [child], { cwd: elsewhere, env, encoding: 'utf8' });
      return JSON.parse(stdout) as {
        backend: string;
        source: string | null;
        error: string | null;
        info: KernelsInfo;
      };
    };

    it('loads the prebuild when there is no local build', async () => {
      place(`prebuilds/${target}`, true);
      place('out/native', false);
      const r = await choice();
      expect(r).toMatchObject({ source: 'prebuilt', error: null });
      expect(r.backend).toMatch(/^native-(avx512|avx2|v4)$/);
      // what the app says (app:info → the Train section's "Kernels: native …")
      expect(r.info).toEqual({ kind: 'native', isa: r.backend.slice('native-'.length), source: 'prebuilt' });
    });

    it('prefers the local build', async () => {
      place(`prebuilds/${target}`, true);
      place('out/native', true);
      expect(await choice()).toMatchObject({
        source: 'build',
        error: null,
        info: { kind: 'native', source: 'build' },
      });
    });

    it('falls back to the prebuild when the local build does not load', async () => {
      place(`prebuilds/${target}`, true);
      place('out/native', true);
      fs.writeFileSync(path.join(app, 'out', 'native', FILE), 'not a shared library');
      expect(await choice()).toMatchObject({
        source: 'prebuilt',
        error: null,
        info: { kind: 'native', source: 'prebuilt' },
      });
    });

    it('runs the WebAssembly kernels without either, and says why', async () => {
      place(`prebuilds/${target}`, false);
      place('out/native', false);
      const r = await choice();
      expect(r.source).toBeNull();
      expect(r.backend).toMatch(/^wasm-/);
      expect(r.error).toMatch(/no prebuild for/);
      expect(r.info).toMatchObject({ kind: 'wasm' });
    });
  });
});
