import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';

/**
 * Every `new AppFailure(` in main/ passes a `details.code` the renderer words (issue 12: errors from main arrive
 * as codes with parameters). A few call sites pass a code held in a variable; they are listed here with why.
 */
const ROOT = path.resolve(__dirname, '../../..');

/** Call sites whose code is a variable: file → the codes it can take (checked too), or a reason it is exempt. */
const VARIABLE_CODES: Record<string, string[] | string> = {
  // reject(why, code): every code is a literal argument of reject() in the same file.
  'main/services/project-name.ts': [
    'project-name-empty',
    'project-name-too-long',
    'project-name-path',
    'project-name-chars',
    'project-name-reserved',
    'project-name-trailing',
  ],
  'main/services/training/dataset-snapshot.ts': 'TrainingFailureCode: the training view words these itself',
  'main/services/prediction/explain-image.ts': 'PredictionFailureCode: the predict view words these itself',
  'main/cli/training-text.ts': 'CLI only: re-wraps a failure and keeps its details',
  'main/services/suggestions/suggestions-service.ts':
    'a failed suggestions job re-raises the details code of the AppFailure that ended it (checked at its own site)',
};

interface Call {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The text of each `new AppFailure(...)` call (balanced parentheses; strings and templates skipped over). */
function appFailureCalls(file: string): Call[] {
  const src = fs.readFileSync(file, 'utf8');
  const calls: Call[] = [];
  for (const m of src.matchAll(/new AppFailure\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    let quote: string | null = null;
    while (depth > 0 && i < src.length) {
      const c = src[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      i++;
    }
    calls.push({
      file: path.relative(ROOT, file).split(path.sep).join('/'),
      line: src.slice(0, m.index).split('\n').length,
      text: src.slice(m.index, i),
    });
  }
  return calls;
}

const calls = sourceFiles(path.join(ROOT, 'main')).flatMap(appFailureCalls);
const worded = (code: string) => code in en.wording.errors && code in zhCN.wording.errors;

describe('AppFailure details codes', () => {
  it('finds the calls', () => {
    expect(calls.length).toBeGreaterThan(100);
  });

  it('every call passes a details code that both dictionaries word', () => {
    const problems: string[] = [];
    for (const call of calls) {
      // `code: 'x'` or `code: cond ? 'x' : 'y'`: every string literal of the code's expression.
      const codes = [...call.text.matchAll(/\bcode: ([^,}\n]+)/g)].flatMap((m) =>
        [...m[1].matchAll(/'([^']*)'/g)].map((q) => q[1]),
      );
      if (codes.length > 0) {
        for (const code of codes) {
          if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code))
            problems.push(`${call.file}:${call.line}: '${code}' is not kebab-case`);
          if (!worded(code))
            problems.push(`${call.file}:${call.line}: '${code}' is missing in en or zh-CN wording.errors`);
        }
        continue;
      }
      const known = VARIABLE_CODES[call.file];
      if (known === undefined) problems.push(`${call.file}:${call.line}: no details code`);
      else if (Array.isArray(known))
        for (const code of known.filter((c) => !worded(c)))
          problems.push(`${call.file}:${call.line}: '${code}' is missing in en or zh-CN wording.errors`);
    }
    expect(problems).toEqual([]);
  });

  it('the variable-code sites still pass the codes listed for them', () => {
    for (const [file, codes] of Object.entries(VARIABLE_CODES)) {
      const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect(src, file).toContain('new AppFailure(');
      if (Array.isArray(codes)) for (const code of codes) expect(src, file).toContain(`'${code}'`);
    }
  });

  it('en and zh-CN word the same codes and every top-level code', () => {
    expect(Object.keys(zhCN.wording.errors).sort()).toEqual(Object.keys(en.wording.errors).sort());
    expect(Object.keys(zhCN.wording.errorGeneric).sort()).toEqual(
      Object.keys(en.wording.errorGeneric).sort(),
    );
    for (const dict of [en, zhCN])
      for (const [code, word] of Object.entries(dict.wording.errors)) {
        expect(word({}), code).toMatch(/\S/);
        expect(
          word({
            run: 'r',
            name: 'n',
            max: 3,
            min: 1,
            limit: 1048576,
            label: 'x',
            frame: 2,
            height: 28,
            width: 28,
            preset: 'p',
            layerIndex: 0,
          }),
          code,
        ).not.toMatch(/undefined|NaN/);
      }
  });
});
