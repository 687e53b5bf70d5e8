import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Electron's checklist: load no remote content. The built renderer (out/renderer, made by `npx vite build`;
 * `npm test` builds first) must reference no http(s) script, style, image or font: every URL the page loads is
 * our own (app://ui, relative) or project media. URLs that are only names (XML namespaces, React's error-page
 * link in its messages) are listed and may stay.
 */
const RENDERER = path.resolve(__dirname, '../../../out/renderer');
const NAME_ONLY_URLS = [
  /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|1998\/Math\/MathML|XML\/1998\/namespace)$/,
  /^https:\/\/react\.dev\/errors\/$/,
];

function builtFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? builtFiles(file) : [file];
  });
}

function files(extension: RegExp): { file: string; text: string }[] {
  if (!fs.existsSync(path.join(RENDERER, 'index.html'))) {
    throw new Error(`${RENDERER} has no build: run npx vite build (npm test builds it first).`);
  }
  return builtFiles(RENDERER)
    .filter((file) => extension.test(file))
    .map((file) => ({ file: path.relative(RENDERER, file), text: fs.readFileSync(file, 'utf8') }));
}

/** True when `url` leaves the app: a scheme other than data:/blob:, or protocol-relative (`//host/x`). */
function isRemote(url: string): boolean {
  const trimmed = url.trim().replace(/^['"]|['"]$/g, '');
  return /^\/\//.test(trimmed) || (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^(data|blob):/i.test(trimmed));
}

describe('no remote content in the built renderer', () => {
  it('has a build with a page, scripts and styles', () => {
    expect(files(/\.html$/).map((f) => f.file)).toContain('index.html');
    expect(files(/\.js$/).length).toBeGreaterThan(0);
    expect(files(/\.css$/).length).toBeGreaterThan(0);
  });

  it('loads every script, style, icon and image of its HTML from itself', () => {
    for (const { file, text } of files(/\.html$/)) {
      const refs = [...text.matchAll(/\b(?:src|href|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)];
      expect(refs.length, file).toBeGreaterThan(0);
      for (const [attribute, value] of refs) expect(isRemote(value), `${file}: ${attribute}`).toBe(false);
      expect(text, file).not.toMatch(/<(iframe|webview|object|embed|base)\b/i);
    }
  });

  it('has no remote url() or @import in its styles', () => {
    for (const { file, text } of files(/\.(css|svg)$/)) {
      for (const [call, value] of text.matchAll(/url\(\s*([^)]*)\)/gi)) {
        expect(isRemote(value), `${file}: ${call}`).toBe(false);
      }
      for (const [rule, value] of text.matchAll(/@import\s+([^;]+)/gi)) {
        expect(isRemote(value.replace(/^url\(|\)$/g, '')), `${file}: ${rule}`).toBe(false);
      }
    }
  });

  it('names no http(s) address in its scripts but XML namespaces and React’s error link', () => {
    for (const { file, text } of files(/\.(js|mjs|svg)$/)) {
      for (const [url] of text.matchAll(
        /(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?(?:\/[\w./%-]*)?/gi,
      )) {
        if (!/^https?:/i.test(url)) continue; // comments and regexes: `// text`
        expect(
          NAME_ONLY_URLS.some((allowed) => allowed.test(url)),
          `${file} names ${url}`,
        ).toBe(true);
      }
    }
  });
});
