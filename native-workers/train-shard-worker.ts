/**
 * Worker entry of the data-parallel trainer (native-workers/parallel/data-parallel-trainer.ts), bundled by
 * scripts/build-node.mjs to out/workers/train-shard-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runShardWorker } from './parallel/shard-worker-main';
import type { ShardWorkerData } from './parallel/protocol';

if (!parentPort) throw new Error('train-shard-worker must run as a worker thread');
runShardWorker(workerData as ShardWorkerData, parentPort);
process.exit(0);
