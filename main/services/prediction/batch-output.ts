/**
 * What a finished prediction batch can become: a CSV file (RFC 4180, UTF-8 with BOM, formula-safe: file names and
 * labels are user data, so no cell ever starts a spreadsheet formula) and copies of its images sorted into one
 * folder per predicted label (safe folder names, contained in the chosen folder, never overwriting).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PredictionItem } from '../../../app/domain/prediction';

export const CSV_HEADER = ['path', 'predicted_label', 'probability', 'top_k', 'error'];

/**
 * One CSV text cell: a leading = + - @ TAB or CR gets an apostrophe (spreadsheets would run it as a formula), then
 * RFC 4180 quoting when it holds a comma, quote, CR or LF (quotes doubled).
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A probability as the CSV writes it (4 decimals). */
export function csvProbability(p: number): string {
  return p.toFixed(4);
}

/** The CSV of a batch's items (in their order): header, one row per item, CRLF line ends, BOM first. */
export function batchCsv(items: PredictionItem[]): string {
  const rows = [CSV_HEADER.join(',')];
  for (const item of items) {
    if (item.ok) {
      const best = item.top[0];
      rows.push(
        [
          csvCell(item.file),
          csvCell(best?.label ?? ''),
          best ? csvProbability(best.probability) : '',
          csvCell(item.top.map((t) => `${t.label}:${csvProbability(t.probability)}`).join('; ')),
          '',
        ].join(','),
      );
    } else {
      rows.push([csvCell(item.file), '', '', '', csvCell(item.detail)].join(','));
    }
  }
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

/** Writes `file` through a temporary file in the same folder and a rename (readers never see half a file). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A label as a folder name on every platform: no separators or characters Windows refuses, no control
 * characters, no trailing dots or spaces, no leading dot (hidden, `..`), no reserved device names, ≤ 100 chars.
 */
export function safeFolderName(label: string): string {
  let name = label
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .trim()
    .replace(/[. ]+$/, '')
    .replace(/^\./, '_');
  if (name.length > 100) name = name.slice(0, 100).replace(/[. ]+$/, '');
  if (!name) return '_';
  if (WINDOWS_RESERVED.test(name)) return `_${name}`;
  return name;
}

/** `dir/child` if it stays inside `dir` (checked with path.relative), else null. */
function inside(dir: string, child: string): string | null {
  const target = path.resolve(dir, child);
  const rel = path.relative(dir, target);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? target : null;
}

/** `name`, `stem (2).ext`, `stem (3).ext`, … */
function numbered(name: string, n: number): string {
  if (n === 1) return name;
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}

/**
 * Copies each predicted item's file to `dir/<safe predicted label>/<file name>`; a name already there gets
 * ` (2)`, ` (3)`, … (never overwritten). Failed items are not copied; a copy that fails is counted.
 */
export async function copyItemsToFolders(
  items: PredictionItem[],
  dir: string,
): Promise<{ copied: number; failed: number }> {
  const root = path.resolve(dir);
  await fs.promises.mkdir(root, { recursive: true });
  let copied = 0;
  let failed = 0;
  for (const item of items) {
    if (!item.ok || !item.top[0]) continue;
    const folder = inside(root, safeFolderName(item.top[0].label));
    if (!folder) {
      failed++;
      continue;
    }
    try {
      await fs.promises.mkdir(folder, { recursive: true });
      const name = path.basename(item.file);
      for (let n = 1; ; n++) {
        const target = inside(folder, numbered(name, n));
        if (!target) throw new Error('unsafe file name');
        try {
          await fs.promises.copyFile(item.file, target, fs.constants.COPYFILE_EXCL);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 10_000) throw error;
        }
      }
      copied++;
    } catch {
      failed++;
    }
  }
  return { copied, failed };
}
