import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOC_LINKS, type DocLink } from '../../../app/domain/doc-links';
import { dispatchInvoke } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handler-table';
import { docLinkOpener } from '../../../main/windows/doc-links';
import { createServices } from '../../../main/services/services';
import { makeTestServices } from '../../support/services';

const ROOT = path.resolve(__dirname, '../../..');

function recordingShell() {
  const opened: string[] = [];
  return { opened, shell: { openExternal: async (url: string) => void opened.push(url) } };
}

describe('docLinkOpener: the one wrapper around shell.openExternal', () => {
  it('opens one fixed https documentation page per key', async () => {
    const { opened, shell } = recordingShell();
    const open = docLinkOpener(shell);
    for (const link of DOC_LINKS) await open(link);
    expect(opened).toHaveLength(DOC_LINKS.length);
    expect(new Set(opened).size).toBe(DOC_LINKS.length);
    for (const url of opened) {
      const parsed = new URL(url);
      expect(parsed.protocol).toBe('https:');
      expect(['onnxruntime.ai', 'www.tensorflow.org', 'netron.app']).toContain(parsed.host);
    }
  });

  it.each(['https://evil.example/', 'javascript:alert(1)', 'file:///etc/passwd', '__proto__', 'constructor'])(
    'opens nothing for a key that is not a DocLink (%s)',
    async (key) => {
      const { opened, shell } = recordingShell();
      await expect(docLinkOpener(shell)(key as DocLink)).rejects.toThrow(/Unknown documentation link/);
      expect(opened).toEqual([]);
    },
  );
});

describe("app:openLink (the page's typed, validated channel)", () => {
  let ctx: ReturnType<typeof makeTestServices>;
  const table = createHandlerTable();
  beforeEach(() => (ctx = makeTestServices()));
  afterEach(() => ctx.cleanup());

  function servicesWithLinks() {
    const links: DocLink[] = [];
    const services = createServices({
      ...ctx.services.config,
      openDocLink: async (link) => void links.push(link),
    });
    return { links, services };
  }

  it('opens a documentation key through the port', async () => {
    const { links, services } = servicesWithLinks();
    try {
      expect(await dispatchInvoke(table, services, 'app:openLink', { link: 'netron' })).toEqual({
        ok: true,
        value: { opened: true },
      });
      expect(links).toEqual(['netron']);
    } finally {
      await services.dispose();
    }
  });

  it.each([
    { link: 'https://evil.example/' },
    { link: 'netron', url: 'https://evil.example/' },
    { url: 'https://evil.example/' },
    { link: 42 },
    {},
  ])('refuses %j as an invalid payload and opens nothing', async (payload) => {
    const { links, services } = servicesWithLinks();
    try {
      const result = await dispatchInvoke(table, services, 'app:openLink', payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      expect(links).toEqual([]);
    } finally {
      await services.dispose();
    }
  });

  it('answers opened: false where there is no browser to open (CLI, e2e)', async () => {
    expect(await dispatchInvoke(table, ctx.services, 'app:openLink', { link: 'netron' })).toEqual({
      ok: true,
      value: { opened: false },
    });
  });
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) ? [file] : [];
  });
}

describe('nothing but the wrapper opens external URLs', () => {
  const files = ['main', 'renderer', 'app'].flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
  const relative = (file: string) => path.relative(ROOT, file).replaceAll('\\', '/');

  it('finds the sources it searches', () => {
    expect(files.map(relative)).toContain('main/windows/doc-links.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it('has openExternal only in main/windows/doc-links.ts, with string literal URLs', () => {
    const callers = files.filter((f) => fs.readFileSync(f, 'utf8').includes('openExternal')).map(relative);
    expect(callers).toEqual(['main/windows/doc-links.ts']);
    const wrapper = fs.readFileSync(path.join(ROOT, 'main/windows/doc-links.ts'), 'utf8');
    const calls = [...wrapper.matchAll(/\.openExternal\(([^)]*)\)/g)].map((m) => m[1].trim());
    expect(calls).toHaveLength(DOC_LINKS.length);
    for (const argument of calls) expect(argument).toMatch(/^'https:\/\/[^'\s]+'$/);
  });

  it("lets only index.ts import Electron's shell, and no page code open windows", () => {
    const importsShell = /import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron'/;
    const shellImporters = files.filter((f) => importsShell.test(fs.readFileSync(f, 'utf8'))).map(relative);
    expect(shellImporters).toEqual(['main/index.ts']);
    const windowOpeners = files
      .filter(
        (f) => relative(f).startsWith('renderer/') && /\bwindow\.open\s*\(/.test(fs.readFileSync(f, 'utf8')),
      )
      .map(relative);
    expect(windowOpeners).toEqual([]);
  });
});
