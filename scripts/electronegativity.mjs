// Runs Doyensec's electronegativity (Electron security linter) over the main-process and preload sources and
// fails on any HIGH or MEDIUM finding. Part of `npm run check` (npm run audit:electron).
//
// The tool is fetched from the npm registry with npx, pinned, and not a devDependency (it is about 147 MB).
// It looks up Electron's latest releases and translations online; offline those look-ups fail and it goes on
// (it prints "No connectivity?"), so only the findings it returns decide here.
//
//   node scripts/electronegativity.mjs [folder]     (default: main)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TOOL = '@doyensec/electronegativity@1.10.3';
const root = path.resolve(import.meta.dirname, '..');
/**
 * The TypeScript sources of Electron's main process and preload (or the folder given as the first argument): the
 * tool parses TS and so sees our code as written, not esbuild's bundle.
 */
const INPUT = process.argv[2] ?? 'main';
/** Set by the outer step for the inner one: the folder to scan. */
const INNER = 'AUDIT_ELECTRON_INPUT';

/**
 * Checks that are false positives for this design, each excluded by name with the reason. The tool excludes by
 * the check's class name (CSPGlobalCheck) and reports by its id (CSP_GLOBAL_CHECK).
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

/** The findings that fail the check (HIGH or MEDIUM). */
export function failingFindings(findings) {
  return findings.filter((f) => FAILING.has(f.severity));
}

/**
 * Outer step: npx fetches the pinned tool (or takes it from its cache) and runs this script again with the tool's
 * bin folder on PATH. The tool is driven through its runner API rather than its CLI because the CLI's CSV report
 * is written by two racing async writes (header and rows), which can silently drop every finding.
 */
function viaNpx() {
  const result = spawnSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['--yes', `--package=${TOOL}`, '-c', `node "${fileURLToPath(import.meta.url)}"`],
    {
      cwd: root,
      stdio: 'inherit',
      timeout: 10 * 60_000,
      shell: process.platform === 'win32',
      env: { ...process.env, [INNER]: INPUT },
    },
  );
  if (result.error || result.status === null) {
    console.error(`electronegativity did not run (${result.error?.message ?? `signal ${result.signal}`}).`);
    return 1;
  }
  return result.status;
}

/** The runner module of the tool that npx installed: its node_modules/.bin folder is on PATH. */
function toolRunner() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const packageDir = path.join(dir, '..', '@doyensec', 'electronegativity');
    const manifestFile = path.join(packageDir, 'package.json');
    if (path.basename(dir) !== '.bin' || !fs.existsSync(manifestFile)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (manifest.version === TOOL.split('@').pop()) return createRequire(manifestFile)('./dist/runner.js');
  }
  throw new Error(`${TOOL} is not on PATH (run this script without ${INNER} set).`);
}

/** Inner step: scans `input` and prints every finding; 1 on a high or medium one. */
async function scan(input) {
  const electron = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'));
  console.log(`electronegativity ${TOOL.split('@').pop()} on ${input} (Electron ${electron.version})`);
  const run = toolRunner();
  const result = await run(
    {
      input: path.resolve(root, input),
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.name.toLowerCase()),
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electron.version,
      parserPlugins: [],
    },
    false,
  );
  for (const error of result.errors ?? [])
    console.error(`  could not parse ${error.file ?? JSON.stringify(error)}`);
  const findings = result.issues.map((issue) => ({
    check: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file,
    location: `${issue.location?.line ?? 0}:${issue.location?.column ?? 0}`,
    sample: issue.sample ?? '',
  }));
  for (const f of findings) {
    console.log(`  ${f.severity} ${f.confidence} ${f.check} ${f.file}:${f.location}  ${f.sample}`);
  }
  const counts = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  const summary = Object.entries(counts).map(([severity, n]) => `${n} ${severity.toLowerCase()}`);
  console.log(
    `electronegativity: ${result.atomicChecks} atomic and ${result.globalChecks} global checks, ` +
      `${findings.length} finding(s)${summary.length ? ` (${summary.join(', ')})` : ''}; ` +
      `excluded by design: ${EXCLUDED_CHECKS.map((c) => c.id).join(', ')}`,
  );
  const failing = failingFindings(findings);
  if (failing.length > 0) {
    console.error(`electronegativity: ${failing.length} high or medium finding(s); fix them.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const inner = process.env[INNER];
  if (inner) {
    scan(inner).then(
      (code) => (process.exitCode = code),
      (error) => {
        console.error(`electronegativity failed: ${error.stack ?? error}`);
        process.exitCode = 1;
      },
    );
  } else process.exitCode = viaNpx();
}
