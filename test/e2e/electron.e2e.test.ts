import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRenameDeleteFlow } from './support/flows';
import { artifactsDir, repoRoot, slug } from './support/paths';

/** The Electron binary the `electron` package points at, or why there is none. */
function findElectron(): { binary: string } | { reason: string } {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    if (typeof binary === 'string' && fs.existsSync(binary)) return { binary };
    return { reason: `the electron package points at ${String(binary)}, which does not exist` };
  } catch (error) {
    return { reason: `require('electron') failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

const electron = findElectron();
const skipReason = 'reason' in electron ? electron.reason : '';
const title =
  'binary' in electron
    ? 'creates, renames and deletes a project in the real Electron app'
    : `skipped: no Electron binary on this machine (${skipReason})`;

if (skipReason) {
  // The default reporter does not list skipped tests by name; say why once, loudly.
  console.warn(`electron.e2e: skipped: no Electron binary on this machine (${skipReason})`);
}

describe('Electron smoke test (Playwright _electron)', () => {
  let app: ElectronApplication | undefined;
  let page: Page | undefined;
  let tempDir: string | undefined;
  const problems: string[] = [];

  afterEach(async (context) => {
    if (page && (context.task.result?.state === 'fail' || problems.length > 0)) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      const base = path.join(artifactsDir, slug(`electron-${context.task.name}`));
      await page.screenshot({ path: `${base}.png` }).catch(() => {});
      fs.writeFileSync(`${base}.log`, problems.join('\n') + '\n');
    }
    await app?.close().catch(() => {});
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    app = page = tempDir = undefined;
    if (problems.length > 0)
      throw new Error(`The page reported errors or CSP violations:\n${problems.join('\n')}`);
  });

  it.skipIf(!('binary' in electron))(
    title,
    async () => {
      if (!('binary' in electron)) return;
      const mainBundle = path.join(repoRoot, 'out', 'main', 'index.js');
      if (
        !fs.existsSync(mainBundle) ||
        !fs.existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))
      ) {
        throw new Error(
          'The Electron e2e test needs a built app: run `npm run build` first (`npm test` does).',
        );
      }
      if (!fs.existsSync(path.join(repoRoot, 'native', 'electron', 'better_sqlite3.node'))) {
        // better-sqlite3 for Electron's ABI, as `npm start` prepares it (cached after the first run).
        execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'electron-native.mjs')], {
          stdio: 'inherit',
        });
      }
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-electron-e2e-'));
      const dataDir = path.join(tempDir, 'data');
      app = await _electron.launch({
        executablePath: electron.binary,
        args: [
          repoRoot,
          `--data-dir=${dataDir}`,
          '--lang=en-US',
          ...(process.platform === 'linux' ? ['--no-sandbox'] : []),
        ],
        cwd: repoRoot,
        env: { ...process.env, CNN_STUDIO_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
      });
      page = await app.firstWindow();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => problems.push(`[pageerror] ${error.message}`));
      page.on('console', (m) => m.type() === 'error' && problems.push(`[console.error] ${m.text()}`));

      await page.waitForURL(/^app:\/\/ui\//);
      await page.getByRole('heading', { name: 'Welcome to CNN Studio' }).waitFor();
      // The sandboxed page sees only the bridge, never Node or ipcRenderer.
      expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe('undefined');
      expect(
        await page.evaluate(() => Object.keys((window as unknown as { desktop: object }).desktop).sort()),
      ).toContain('projects');

      await createRenameDeleteFlow(page, { first: 'Electron digits', renamed: 'Electron digits v2' });
      const trashed = fs.readdirSync(path.join(dataDir, 'trash'));
      expect(trashed).toHaveLength(1);
      expect(
        JSON.parse(fs.readFileSync(path.join(dataDir, 'trash', trashed[0], 'deleted.json'), 'utf8')).name,
      ).toBe('Electron digits v2');
    },
    300_000,
  );
});
