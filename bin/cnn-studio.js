#!/usr/bin/env node
// The CLI is bundled to out/cli by `npm run build` (run automatically by `npm install` through "prepare").
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'cnn-studio is not built yet: run `npm run build` in ' + path.dirname(__dirname) + '\n',
  );
  process.exit(1);
}
require(entry);
