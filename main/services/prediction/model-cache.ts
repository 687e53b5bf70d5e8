/**
 * One inference worker per model file, kept while it is used: the same file (same path, size and modification
 * time) is loaded once; a rewritten file gets a new worker. dispose() closes every worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import { InferenceClient } from './inference-client';

export class ModelCache {
  private readonly clients = new Map<string, Promise<InferenceClient>>();

  constructor(private readonly workersDir: string) {}

  /** The worker for `modelPath`, started on first use. */
  get(modelPath: string): Promise<InferenceClient> {
    const file = path.resolve(modelPath);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile())
      return Promise.reject(
        new AppFailure('not-found', `No such model file: ${file}`, { code: 'model-file-missing', file }),
      );
    const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
    let client = this.clients.get(key);
    if (!client) {
      for (const [k, old] of this.clients)
        if (k.startsWith(`${file}\0`)) {
          this.clients.delete(k);
          void old.then((c) => c.close()).catch(() => undefined);
        }
      client = InferenceClient.open(this.workersDir, file);
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  /** Closes every worker. */
  async dispose(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.then((x) => x.close()).catch(() => undefined)));
  }
}
