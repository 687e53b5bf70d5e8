/**
 * Shared setup of the suggestions tests: a 28 px gray project with a few labeled Fashion-MNIST classes (trained on)
 * and their test images as loose, unlabeled files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FASHION_SMALL } from '../../unit/dataset/fixtures';

export const CLASSES = ['Bag', 'Sneaker', 'Trouser', 'Dress'];

/**
 * Writes `<dir>/labeled/<class>/…` (`perClass` train images per class) and `<dir>/loose/<class>-<file>` (`unlabeled`
 * test images per class, loose files: imported unlabeled). Answers both folders and the loose files.
 */
export function writeImageFolders(
  dir: string,
  perClass = 30,
  unlabeled = 20,
): { labeled: string; loose: string; looseFiles: string[] } {
  const labeled = path.join(dir, 'labeled');
  const loose = path.join(dir, 'loose');
  fs.mkdirSync(loose, { recursive: true });
  const looseFiles: string[] = [];
  for (const cls of CLASSES) {
    fs.mkdirSync(path.join(labeled, cls), { recursive: true });
    const train = path.join(FASHION_SMALL, 'train', cls);
    for (const f of fs.readdirSync(train).sort().slice(0, perClass))
      fs.copyFileSync(path.join(train, f), path.join(labeled, cls, f));
    const test = path.join(FASHION_SMALL, 'test', cls);
    for (const f of fs.readdirSync(test).sort().slice(0, unlabeled)) {
      const to = path.join(loose, `${cls}-${f}`);
      fs.copyFileSync(path.join(test, f), to);
      looseFiles.push(to);
    }
  }
  return { labeled, loose, looseFiles };
}
