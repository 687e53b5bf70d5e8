import { afterEach, beforeEach } from 'vitest';
import { ProjectStore } from '../../main/services/project-store';
import { makeTempDir } from './temp-dir';

/** A fresh ProjectStore over its own temporary data folder for each test; closed (after its backups) and removed after. */
export function tempProjectStore(): { readonly dir: string; readonly store: ProjectStore } {
  let temp: { dir: string; cleanup: () => void } | undefined;
  let store: ProjectStore | undefined;
  beforeEach(() => {
    temp = makeTempDir();
    store = new ProjectStore(temp.dir);
    store.ensureLayout();
  });
  afterEach(async () => {
    await store?.settleBackups();
    store?.closeAll();
    temp?.cleanup();
  });
  return {
    get dir() {
      return temp!.dir;
    },
    get store() {
      return store!;
    },
  };
}
