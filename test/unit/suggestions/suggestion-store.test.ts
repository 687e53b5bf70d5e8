/**
 * The suggestion store's counts: the histogram's bins N..99 hold exactly what "accept at or above N %" accepts,
 * N = 0..99, also for confidences where floor(c × 100) rounds the other way (the last bin includes 1); and the
 * stale reasons from those counts.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../main/db/open-database';
import { projectMigrations } from '../../../main/db/migrations/index';
import { staleReasons } from '../../../main/services/suggestions/staleness';
import {
  readSuggestions,
  replaceSuggestions,
  suggestionCounts,
} from '../../../main/services/suggestions/suggestion-store';
import { makeTempDir } from '../../support/temp-dir';

/** Confidences at and around every percent boundary, and the float32 values a softmax gives. */
function edgeConfidences(): number[] {
  const values = [0, 1, 0.29, 0.57, 0.58, 0.07, 0.14, 0.9, 0.99, 0.999999];
  for (let i = 0; i <= 100; i++) {
    values.push(i / 100, Math.fround(i / 100), Math.min(1, i / 100 + Number.EPSILON));
    if (i > 0) values.push((i - 1e-9) / 100);
  }
  return values.filter((v) => v >= 0 && v <= 1);
}

describe('suggestion store', () => {
  const temp = makeTempDir('cnn-suggestion-store-');
  let db: Db;
  afterAll(() => {
    db?.close();
    temp.cleanup();
  });

  function seed(confidences: number[], labelled = 0): number[] {
    db = openDatabase(path.join(temp.dir, `p${Math.random()}.db`), projectMigrations);
    db.prepare("INSERT INTO labels (name, color, created_at) VALUES ('Bag', '#000', 'x')").run();
    const insert = db.prepare(
      `INSERT INTO images (sha256, ext, file_name, source_path, byte_size, format, width, height, channels,
         import_id, added_at, label_id) VALUES (?, 'png', ?, '', 1, 'png', 28, 28, 1, 'i', 'x', ?)`,
    );
    const ids = confidences.map((_, k) =>
      Number(insert.run(String(k).padStart(64, '0'), `f${k}.png`, k < labelled ? 1 : null).lastInsertRowid),
    );
    return ids;
  }

  it('bins so that bins N..99 count exactly the suggestions at or above N/100', () => {
    const confidences = edgeConfidences();
    const ids = seed(confidences);
    replaceSuggestions(db, { runId: 'r', imageIds: ids, labels: ids.map(() => 'Bag'), confidences }, 'now');
    const counts = suggestionCounts(db);
    expect(counts).toMatchObject({ unlabeled: ids.length, suggested: ids.length, unknownLabel: 0 });
    expect(counts.histogram.reduce((a, b) => a + b, 0)).toBe(ids.length);
    for (let n = 0; n < 100; n++) {
      const preview = counts.histogram.slice(n).reduce((a, b) => a + b, 0);
      expect(preview, `${n} %`).toBe(readSuggestions(db, { minConfidence: n / 100 }).length);
      expect(preview, `${n} %`).toBe(confidences.filter((c) => c >= n / 100).length);
    }
  });

  it('counts unknown labels and images without a suggestion, leaving labeled ones out', () => {
    const ids = seed([0.5, 0.6, 0.7, 0.8, 0.9], 1);
    // ids[0] is labeled; ids[4] gets no suggestion; ids[3] suggests a class that is not a label.
    replaceSuggestions(
      db,
      {
        runId: 'r',
        imageIds: ids.slice(0, 4),
        labels: ['Bag', 'Bag', 'bag', 'Coat'],
        confidences: [0.5, 0.6, 0.7, 0.8],
      },
      'now',
    );
    const counts = suggestionCounts(db);
    expect(counts).toMatchObject({ unlabeled: 4, suggested: 3, unknownLabel: 1 });
    expect(counts.histogram[60] + counts.histogram[70]).toBe(2); // 'bag' is label Bag (NOCASE)
    expect(staleReasons('r', 'r', counts)).toEqual(['new-images', 'labels-changed']);
    expect(staleReasons('r', 'other', counts)).toEqual(['model-changed', 'new-images', 'labels-changed']);
    expect(staleReasons(null, 'r', counts)).toEqual([]);
    expect(staleReasons('r', 'r', { unlabeled: 3, suggested: 3, unknownLabel: 0 })).toEqual([]);
    expect(readSuggestions(db, { acceptableOnly: true }).map((s) => s.confidence)).toEqual([0.7, 0.6]);
  });
});
