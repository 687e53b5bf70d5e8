import { LABEL_NAME_MAX_LENGTH } from '../../../app/domain/dataset';
import type { Db } from '../../db/open-database';

/** Distinct colours handed to new labels in turn. */
export const LABEL_PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#fabed4',
  '#469990',
  '#dcbeff',
  '#9a6324',
  '#fffac8',
  '#800000',
  '#aaffc3',
  '#808000',
  '#ffd8b1',
  '#000075',
  '#a9a9a9',
  '#ffe119',
];

/** Re-exported under its older name: the limit lives in app/domain/dataset.ts. */
export const LABEL_NAME_MAX = LABEL_NAME_MAX_LENGTH;

export function nextLabelColor(db: Db): string {
  const n = db.prepare('SELECT COUNT(*) FROM labels').pluck().get() as number;
  return LABEL_PALETTE[n % LABEL_PALETTE.length];
}

/** The id of label `name` (case-insensitive), creating it if needed. Call inside a transaction. */
export function ensureLabel(db: Db, name: string, now: string): number {
  const found = db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
  if (found !== undefined) return found;
  const info = db
    .prepare('INSERT INTO labels (name, color, created_at) VALUES (?, ?, ?)')
    .run(name, nextLabelColor(db), now);
  return Number(info.lastInsertRowid);
}

/** Label names in class-index order (index = position; labels are ordered by id, i.e. creation). */
export function classNames(db: Db): { ids: number[]; names: string[] } {
  const rows = db.prepare('SELECT id, name FROM labels ORDER BY id').all() as { id: number; name: string }[];
  return { ids: rows.map((r) => r.id), names: rows.map((r) => r.name) };
}
