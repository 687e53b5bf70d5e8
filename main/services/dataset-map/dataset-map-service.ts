/**
 * The dataset map (issue 11). Being built: see app/domain/dataset-map.ts and app/ipc/channels/dataset-map.ts for
 * the contract.
 */
import type { DatasetMap, DatasetMapMethod } from '../../../app/domain/dataset-map';
import { AppFailure } from '../../../app/ipc/result';

const notYet = (): never => {
  throw new AppFailure('internal', 'The dataset map is being built (issue 11).');
};

export class DatasetMapService {
  compute(
    _projectId: string,
    _options: { runId?: string; method: DatasetMapMethod; force: boolean },
  ): {
    started: boolean;
  } {
    return notYet();
  }
  /** Computes (or takes from the cache) and resolves with the map (the CLI). */
  computeAndWait(
    _projectId: string,
    _options: { runId?: string; method: DatasetMapMethod },
  ): Promise<DatasetMap> {
    return Promise.reject(new AppFailure('internal', 'The dataset map is being built (issue 11).'));
  }
  get(_projectId: string, _options: { runId?: string; method: DatasetMapMethod }): DatasetMap | null {
    return notYet();
  }
  cancel(_projectId: string): { cancelled: boolean } {
    return notYet();
  }
  async dispose(): Promise<void> {}
}
