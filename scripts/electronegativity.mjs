// Runs Doyensec's electronegativity (Electron security linter) over the main-process and preload sources and
// fails on any HIGH or MEDIUM finding. Part of `npm run check` (npm run audit:electron).
//
// The tool is fetched from the npm registry with npx, pinned, and not a devDependency (it is about 147 MB).
// It looks up Electron's latest releases and translations online; offline those look-ups fail and it goes on
// (it prints "No connectivity?"), so only its exit code and its report decide here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TOOL = '@doyensec/electronegativity@1.10.3';
const root = path.resolve(import.meta.dirname, '..');
/**
 * The TypeScript sources of Electron's main process and preload (or the folder given as the first argument): the
 * tool parses TS and so sees our code as written, not esbuild's bundle.
 */
const INPUT = process.argv[2] ?? 'main';

/**
 * Checks that are false positives for this design, each excluded by name with the reason. `-x` takes the check's
 * class name (CSPGlobalCheck), the report shows its id (CSP_GLOBAL_CHECK).
 */
export const EXCLUDED_CHECKS = [
  // Our CSP is a response header of the app:// protocol (main/protocol/csp.ts, tested in
  // test/unit/protocol/csp.test.ts); the tool only looks for <meta> tags and session.webRequest headers.
  { id: 'CSP_GLOBAL_CHECK', name: 'CSPGlobalCheck' },
  // It flags every preload. Ours exposes named functions only (createDesktopApi), never ipcRenderer itself.
  { id: 'PRELOAD_JS_CHECK', name: 'PreloadJSCheck' },
];

/** Severities that fail the check. */
const FAILING = new Set(['HIGH', 'MEDIUM']);

/** Parses RFC 4180 CSV (quoted fields may hold commas, doubled quotes and line breaks) into rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/** The findings of the tool's CSV report (header: issue, severity, confidence, filename, location, sample, ...). */
export function findingsOf(csvText) {
  const [header, ...rows] = parseCsv(csvText);
  if (!header || header[0].trim() !== 'issue') throw new Error('Not an electronegativity CSV report.');
  return rows.map(([check, severity, confidence, file, location, sample, description]) => ({
    check,
    severity,
    confidence,
    file,
    location,
    sample,
    description,
  }));
}

/** The findings that fail the check (HIGH or MEDIUM). */
export function failingFindings(findings) {
  return findings.filter((f) => FAILING.has(f.severity));
}

function run() {
  const electron = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'));
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
  const report = path.join(outDir, 'report.csv');
  try {
    const args = ['--yes', TOOL, '-i', INPUT, '-r', '-e', electron.version];
    args.push('-x', EXCLUDED_CHECKS.map((c) => c.name).join(','), '-o', report);
    console.log(`electronegativity ${TOOL.split('@').pop()} on ${INPUT} (Electron ${electron.version})`);
    const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', args, {
      cwd: root, // a relative INPUT is relative to the repository
      encoding: 'utf8',
      timeout: 10 * 60_000,
      shell: process.platform === 'win32',
    });
    if (result.error || result.status !== 0 || !fs.existsSync(report)) {
      process.stderr.write(result.stdout ?? '');
      process.stderr.write(result.stderr ?? '');
      console.error(`electronegativity did not run (${result.error?.message ?? `exit ${result.status}`}).`);
      return 1;
    }
    const findings = findingsOf(fs.readFileSync(report, 'utf8'));
    for (const f of findings) {
      console.log(`  ${f.severity} ${f.confidence} ${f.check} ${f.file}:${f.location}  ${f.sample}`);
    }
    const counts = {};
    for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
    const summary = Object.entries(counts).map(([severity, n]) => `${n} ${severity.toLowerCase()}`);
    console.log(
      `electronegativity: ${findings.length} finding(s)${summary.length ? ` (${summary.join(', ')})` : ''}; ` +
        `excluded by design: ${EXCLUDED_CHECKS.map((c) => c.id).join(', ')}`,
    );
    const failing = failingFindings(findings);
    if (failing.length > 0) {
      console.error(`electronegativity: ${failing.length} high or medium finding(s); fix them.`);
      return 1;
    }
    return 0;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = run();
