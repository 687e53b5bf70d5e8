/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it resolves modules the way the workers' bundles do */
// Copied next to the packaged workers (resources/app.asar.unpacked/out/workers/) by package-config.test.ts and run
// with plain Node: it loads what the workers load, from where they load it, so it fails when the unpacked tree
// lacks a module (plain Node cannot read inside app.asar, and neither can module resolution from an unpacked
// worker). argv: JSON {required: [...], imported: [...], addons: [...paths relative to this folder]}.
const path = require('node:path');

async function main() {
  const { required, imported, addons } = JSON.parse(process.argv[2]);
  const result = { modules: {}, addons: {} };
  const attempt = async (key, fn) => {
    try {
      result.modules[key] = (await fn()) ?? 'ok';
    } catch (e) {
      result.modules[key] = `error: ${e && e.message}`;
    }
  };
  for (const name of required)
    await attempt(`require ${name}`, () => {
      const m = require(name);
      // better-sqlite3 finds its native binding only when a database opens
      if (name === 'better-sqlite3') return String(new m(':memory:').prepare('select 42 as x').get().x);
      return undefined;
    });
  for (const name of imported)
    await attempt(`import ${name}`, async () => {
      await import(name);
      return path.relative(path.resolve(__dirname, '../..'), require.resolve(name)).split(path.sep).join('/');
    });
  for (const rel of addons) {
    try {
      const m = { exports: {} };
      process.dlopen(m, path.join(__dirname, rel));
      result.addons[rel] = m.exports.isas();
    } catch (e) {
      result.addons[rel] = `error: ${e && e.message}`;
    }
  }
  process.stdout.write(JSON.stringify(result));
}
main();
