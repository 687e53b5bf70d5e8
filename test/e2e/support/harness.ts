import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { EventName, EventPayload } from '../../../app/ipc/events';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { contentSecurityPolicy } from '../../../main/protocol/csp';
import { resolveMedia } from '../../../main/protocol/media';
import { mimeTypeFor, resolveStaticFile } from '../../../main/protocol/static-files';
import type { FileDialogs } from '../../../main/services/dialogs';
import { createServices, type EventSink, type Services } from '../../../main/services/services';
import { artifactsDir, assertBuilt, bridgeScript, chromiumPath, repoRoot, rendererDir, slug } from './paths';

/** Options of one e2e app instance. */
export interface StartOptions {
  /** Reuse a data folder (default: a fresh temporary one, removed on close). */
  dataDir?: string;
  /** navigator.language of the page (default en-US). */
  locale?: string;
  /** prefers-color-scheme of the page (default light). */
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /**
   * The OS file dialogs the app would show, scripted by the test (Chromium has no Electron dialog); default: every
   * dialog is cancelled.
   */
  dialogs?: FileDialogs;
  /** Extra Chromium flags, e.g. its fake camera for webcam tests. */
  chromiumArgs?: string[];
}

/** A running app: the real renderer in Chromium, wired to the real main-process handlers in this process. */
export interface E2eApp {
  page: Page;
  services: Services;
  dataDir: string;
  /** The origin the renderer is served from, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** Page errors, console errors and CSP violations seen so far; the test fails if any remain. */
  problems: string[];
  /** Every console line and page error, for the failure log. */
  consoleLog: string[];
  /** Saves a screenshot and the console log under test-results/e2e/<name>.{png,log}; returns the png path. */
  saveArtifacts(name: string): Promise<string>;
  /** Closes the browser, the server and the services; removes temporary folders. */
  close(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/**
 * Starts the app for one test: a data folder, the services and handler table main uses, a loopback server for the
 * built renderer (with the real CSP header) and media, and Chromium with the e2e bridge as its preload.
 */
export async function startApp(options: StartOptions = {}): Promise<E2eApp> {
  assertBuilt();
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-e2e-'));
  const dataDir = options.dataDir ?? path.join(tempRoot, 'data');
  const profileDir = path.join(tempRoot, 'chromium-profile');
  fs.mkdirSync(profileDir);

  const problems: string[] = [];
  const consoleLog: string[] = [];
  // Filled in below; the server and the event sink read them late, once they exist.
  const live: { services?: Services; page?: Page } = {};
  const pendingEmits = new Set<Promise<unknown>>();

  // 1. The server, so we know the port (the media base URL and the CSP need it) before the services exist.
  const server = http.createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      problems.push(`server error for ${req.url}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const csp = contentSecurityPolicy(origin);

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/media' || url.pathname.startsWith('/media/')) {
      const media = live.services
        ? await resolveMedia(live.services, url.pathname.slice('/media'.length))
        : null;
      if (!media) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      res.writeHead(200, { 'content-type': media.mimeType, 'cache-control': 'max-age=31536000, immutable' });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(media.file).pipe(res);
      return;
    }
    const file = resolveStaticFile(rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain', 'content-security-policy': csp }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': mimeTypeFor(file),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  }

  // 2. Chromium with a fresh profile.
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])],
      locale: options.locale ?? 'en-US',
      colorScheme: options.colorScheme ?? 'light',
      viewport: options.viewport ?? { width: 1200, height: 760 },
      reducedMotion: 'reduce',
    });
  } catch (error) {
    server.close();
    fs.rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  live.page = page;
  page.setDefaultTimeout(20_000); // generous: CPU-heavy unit tests may share the 2 cores
  page.on('console', (message) => {
    const line = `[console.${message.type()}] ${message.text()}`;
    consoleLog.push(line);
    if (message.type() === 'error') problems.push(line);
  });
  page.on('pageerror', (error) => {
    const line = `[pageerror] ${error.stack ?? error.message}`;
    consoleLog.push(line);
    problems.push(line);
  });
  page.on('crash', () => problems.push('[crash] the page crashed'));

  // 3. The services and handler table main uses; events go to the page like webContents.send would.
  const events: EventSink = {
    emit<E extends EventName>(channel: E, payload: EventPayload<E>) {
      const target = live.page;
      if (!target || target.isClosed()) return;
      const sent = target
        .evaluate(([c, p]) => window.__desktopEmit?.(c, p), [channel, payload] as const)
        .catch((error: unknown) =>
          consoleLog.push(`[harness] event ${channel} not delivered: ${String(error)}`),
        )
        .finally(() => pendingEmits.delete(sent));
      pendingEmits.add(sent);
    },
  };
  const services = createServices(
    {
      dataDir,
      workersDir: path.join(repoRoot, 'out', 'workers'),
      mediaBaseUrl: `${origin}/media`,
      version: JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
      dialogs: options.dialogs ?? { open: async () => [], save: async () => null },
    },
    events,
  );
  live.services = services;
  const table = createHandlerTable();
  await page.exposeBinding('__desktopInvoke', (_source, channel: unknown, payload: unknown) =>
    dispatchInvoke(table, services, channel, payload),
  );
  await page.addInitScript({ path: bridgeScript });
  await page.goto(`${origin}/index.html`);

  let closed = false;
  return {
    page,
    services,
    dataDir,
    origin,
    problems,
    consoleLog,
    async saveArtifacts(name) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      const base = path.join(artifactsDir, slug(name));
      fs.writeFileSync(`${base}.log`, [...consoleLog, '', 'Problems:', ...problems].join('\n') + '\n');
      if (!page.isClosed()) await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
      return `${base}.png`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...pendingEmits]);
      await context.close().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.dispose();
      fs.rmSync(tempRoot, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
