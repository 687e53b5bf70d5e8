/**
 * Every IPC invoke channel fuzzed with fast-check through the one entry point the page reaches
 * (dispatchInvoke over the real handler table and real services, a temp data folder holding one small imported
 * and trained project): random payloads (anything, prototype keys, huge strings, NaN/±Infinity/-0, deep nesting,
 * arrays for objects), each channel's valid payload mutated one field at a time, and prototype-pollution payloads.
 * Every call must resolve to a Result (never throw), never fail as 'internal' (a bad payload is the caller's
 * fault, and it says so), and leave Object.prototype untouched.
 *
 * Neutralised, so the fuzzing neither touches the user's folders nor leaves long jobs running:
 *  - every path-like field (paths, file, dir, modelFile, source.file, initFrom.file) is rewritten to a place
 *    inside the test's sandbox folder ('..' segments broken), so imports, exports, CSVs and copies stay there;
 *  - a job a call started (import, training run, prediction batch, suggestions, dataset map) is cancelled or
 *    stopped right after the call answers;
 *  - dialogs are a fake that cancels, documentation links a fake that records (no browser);
 *  - destructive channels (projects:delete, projects:restoreBackup, runs:delete, labels:delete, labels:merge) get ids of nothing as their
 *    valid payload, so the project under test keeps its run and labels for the other channels.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeChannels, type InvokeName } from '../../app/ipc/contract';
import type { Result } from '../../app/ipc/result';
import { dispatchInvoke } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handler-table';
import { createServices, type EventSink, type Services } from '../../main/services/services';
import { quickSettings, SMALL_SET } from '../integration/training/support';
import { makeTempDir } from '../support/temp-dir';

const SEED = 20261128;
const RANDOM_RUNS = 250;
const MUTATED_RUNS = 250;
/** Channels whose valid payloads do real work (a worker, an export with its parity check): fewer mutated runs. */
const SLOW = new Set<string>([
  'export:run',
  'trainingPackage:export',
  'dataset:export',
  'dataset:rebuildTensors',
  'inspect:image',
  'inspect:shift',
  'inspect:convolve',
  'evaluation:evaluate',
  'training:start',
  'training:resume',
  'prediction:explain',
  'prediction:model',
  'prediction:start',
  'dataset:import',
  'dataset:importCaptured',
  'datasetMap:compute',
  'suggestions:refresh',
  'projects:create',
]);
const SLOW_RUNS = 25;

const PATH_KEYS = new Set(['paths', 'file', 'dir', 'modelFile']);
const NO_SUCH_RUN = '00000000-0000-4000-8000-000000000000';

describe('every IPC channel, fuzzed', () => {
  const temp = makeTempDir('cnn-fault-fuzz-');
  const sandbox = path.join(temp.dir, 'sandbox');
  const table = createHandlerTable();
  const events: [string, unknown][] = [];
  let services: Services;
  let valid: Record<string, Record<string, unknown>>;
  let calls = 0;
  /** Outcomes by `ok` or error code, for the report. */
  const outcomes = new Map<string, number>();
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(sandbox, { recursive: true });
    const sink: EventSink = { emit: (channel, payload) => void events.push([channel, payload]) };
    services = createServices(
      {
        dataDir: path.join(temp.dir, 'data'),
        workersDir: path.resolve(__dirname, '../../out/workers'),
        mediaBaseUrl: 'http://127.0.0.1:0/media',
        version: '0.0.0-test',
        dialogs: { open: async () => [], save: async () => null },
        openDocLink: async () => undefined,
      },
      sink,
    );
    // One small project: 3 classes × 12 images, trained for one epoch.
    const src = path.join(sandbox, 'src');
    for (const label of fs.readdirSync(path.join(SMALL_SET, 'train')).slice(0, 3)) {
      fs.mkdirSync(path.join(src, label), { recursive: true });
      for (const name of fs
        .readdirSync(path.join(SMALL_SET, 'train', label))
        .sort()
        .slice(0, 12))
        fs.copyFileSync(path.join(SMALL_SET, 'train', label, name), path.join(src, label, name));
    }
    const project = services.projects.create({ name: 'Fuzz', inputSize: 28, color: 'gray' });
    const projectId = project.id;
    const imported = await services.dataset.importAndWait(projectId, { paths: [src] });
    const settings = quickSettings({ epochs: 1, workers: 1 });
    const run = services.training.start(projectId, settings, 'fuzzed');
    await services.training.waitFor(projectId, run.id);
    const imageId = services.dataset.listImages(projectId, {
      filter: { kind: 'all' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 1,
    }).items[0].id;
    const label = services.dataset.listLabels(projectId)[0];
    const imageFile = path.join(
      src,
      fs.readdirSync(src)[0],
      fs.readdirSync(path.join(src, fs.readdirSync(src)[0]))[0],
    );
    const modelFile = path.join(temp.dir, 'data', 'projects', projectId, 'runs', run.id, 'final.model');
    const png = (await sharp(imageFile).png().toBuffer()).toString('base64');
    const batch = services.prediction.startBatch(projectId, { projectId }, [imageFile], 3);
    await services.prediction.waitForBatch(batch.batchId);
    const augmentation = { flip: true, shift: 2, brightness: 0.1, contrast: 0.1 };

    valid = {
      'app:info': {},
      'app:openLink': { link: 'netron' },
      'projects:list': {},
      'projects:get': { id: projectId },
      'projects:create': { name: 'Another', inputSize: 28, color: 'gray' },
      'projects:rename': { id: projectId, name: 'Fuzz' },
      'projects:delete': { id: 'no-such-project' },
      'projects:listTrash': {},
      'projects:restore': { id: 'no-such-project' },
      'projects:restoreBackup': { id: 'no-such-project', backup: 'latest' },
      'dataset:import': { projectId, paths: [src], label: 'cat' },
      'dataset:importCaptured': { projectId, label: 'cat', images: [png] },
      'dataset:cancelImport': { projectId, importId: imported.importId },
      'dataset:importStatus': { projectId, importId: imported.importId },
      'dataset:listImports': { projectId },
      'dataset:dismissImportFailures': { projectId },
      'dataset:listImages': {
        projectId,
        filter: { kind: 'label', labelId: label.id },
        sort: 'name',
        descending: true,
        offset: 0,
        limit: 10,
      },
      'dataset:imageIds': { projectId, filter: { kind: 'all' }, sort: 'added', descending: false, offset: 0 },
      'dataset:imageDetails': { projectId, imageId },
      'dataset:removeImages': { projectId, imageIds: [imageId] },
      'dataset:restoreImages': { projectId, imageIds: [imageId] },
      'dataset:stats': { projectId },
      'dataset:health': { projectId },
      'dataset:split': { projectId, ratios: { train: 0.8, val: 0.1, test: 0.1 }, seed: 3, mode: 'fill' },
      'dataset:setSplit': { projectId, imageIds: [imageId], split: 'train' },
      'dataset:undo': { projectId },
      'dataset:redo': { projectId },
      'dataset:undoState': { projectId },
      'dataset:rebuildTensors': { projectId },
      'dataset:export': { projectId, dir: path.join(sandbox, 'dataset-export'), bySplit: true },
      'labels:list': { projectId },
      'labels:create': { projectId, name: 'fresh', color: '#112233' },
      'labels:rename': { projectId, labelId: label.id, name: label.name },
      'labels:setColor': { projectId, labelId: label.id, color: '#445566' },
      'labels:merge': { projectId, sourceIds: [999_999], targetId: 999_998 },
      'labels:delete': { projectId, labelId: 999_999 },
      'labels:assign': { projectId, imageIds: [imageId], labelId: label.id },
      'dialog:open': { kind: 'images', multiple: true },
      'dialog:save': { kind: 'csv', defaultName: 'predictions.csv' },
      'inspect:image': { projectId, runId: run.id, source: { imageId } },
      'inspect:shift': { projectId, source: { file: imageFile }, offsets: [{ dx: 1, dy: -1 }], flip: true },
      'inspect:convolve': { projectId, source: { imageId }, kernel: [0, 0, 0, 0, 1, 0, 0, 0, 0] },
      'export:run': { projectId, runId: run.id, format: 'native', dir: path.join(sandbox, 'model-export') },
      'trainingPackage:export': {
        projectId,
        source: { kind: 'settings' },
        dir: path.join(sandbox, 'training-package'),
      },
      'prediction:start': { projectId, paths: [imageFile], topK: 3 },
      'prediction:model': { projectId, runId: run.id },
      'prediction:cancel': { batchId: batch.batchId },
      'prediction:explain': { projectId, modelFile, file: imageFile, topK: 2 },
      'prediction:savePasted': { projectId, base64: png },
      'prediction:exportCsv': { batchId: batch.batchId, file: path.join(sandbox, 'out.csv') },
      'prediction:copyToFolders': { batchId: batch.batchId, dir: path.join(sandbox, 'copies') },
      'prediction:addToDataset': { projectId, file: imageFile, label: label.name },
      'runs:list': { projectId },
      'runs:show': { projectId, runId: run.id },
      'runs:rename': { projectId, runId: run.id, name: 'fuzzed' },
      'runs:delete': { projectId, runId: NO_SUCH_RUN },
      'runs:use': { projectId, runId: run.id },
      'runs:importModel': { projectId, file: modelFile, name: 'imported' },
      'evaluation:evaluate': { projectId, runId: run.id, split: 'train' },
      'evaluation:predictions': { projectId, split: 'train', order: 'confidence', onlyWrong: true, limit: 5 },
      'suggestions:status': { projectId },
      'suggestions:refresh': { projectId, runId: run.id },
      'suggestions:cancel': { projectId },
      'suggestions:accept': { projectId, minConfidence: 0.99 },
      'model:presets': { projectId },
      'model:describe': {
        projectId,
        model: { kind: 'custom', layers: [{ type: 'conv2d', filters: 4, kernelSize: 3 }] },
      },
      'training:defaults': { projectId },
      'training:start': { projectId, settings: { ...settings, augmentation }, name: 'again' },
      'training:pause': { projectId, runId: run.id },
      'training:resume': { projectId, runId: run.id },
      'training:stop': { projectId, runId: run.id },
      'training:status': { projectId },
      'training:augmentPreview': { projectId, augmentation, count: 2, variants: 2, seed: 4 },
      'datasetMap:compute': { projectId, runId: run.id, method: 'pca', force: true },
      'datasetMap:get': { projectId, method: 'pca' },
      'datasetMap:cancel': { projectId },
    };
  }, 120_000);

  afterAll(async () => {
    await services?.dispose();
    temp.cleanup();
  });

  /** Keeps every path a payload names inside the sandbox (no '..' climbing out), whatever the fuzzer made. */
  function contain(value: unknown, key?: string): unknown {
    if (key !== undefined && PATH_KEYS.has(key)) {
      if (typeof value === 'string') return inside(value);
      if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? inside(v) : v));
    }
    if (Array.isArray(value)) return value.map((v) => contain(v));
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value))
        Object.defineProperty(out, k, {
          value: contain((value as Record<string, unknown>)[k], k),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    return value;
  }
  function inside(p: string): string {
    if (p.length === 0 || p.length > 4096) return p; // invalid anyway: left as the fuzzer made it
    if (p.startsWith(sandbox + path.sep) && !p.includes('..')) return p;
    return path.join(sandbox, 'fuzz', p.replace(/\.\./g, '_'));
  }

  /** Cancels what a call started, so no job outlives its call (and the next call meets an idle project). */
  async function endJobs(channel: string, payload: Record<string, unknown>, result: Result<unknown>) {
    if (!result.ok) return;
    const value = result.value as Record<string, unknown>;
    const projectId = payload.projectId as string;
    const after: [InvokeName, unknown][] = [];
    if (channel === 'dataset:import' || channel === 'dataset:importCaptured')
      after.push(['dataset:cancelImport', { projectId, importId: value.importId }]);
    if (channel === 'training:start' || channel === 'training:resume')
      after.push(['training:stop', { projectId, runId: value.id }]);
    if (channel === 'prediction:start') after.push(['prediction:cancel', { batchId: value.batchId }]);
    if (channel === 'suggestions:refresh') after.push(['suggestions:cancel', { projectId }]);
    if (channel === 'datasetMap:compute') after.push(['datasetMap:cancel', { projectId }]);
    for (const [c, p] of after) await dispatchInvoke(table, services, c, p);
    // An import ends its current batch after the cancel: wait for it, so the next call meets an idle project.
    if (channel === 'dataset:import' || channel === 'dataset:importCaptured')
      await services.dataset.cancelProjectImports(projectId);
  }

  /** One call: it must resolve to a Result, not 'internal', with Object.prototype as it was. */
  async function call(
    channel: unknown,
    payload: unknown,
    what: string,
  ): Promise<Result<unknown> | undefined> {
    calls++;
    let result: Result<unknown>;
    try {
      result = await dispatchInvoke(table, services, channel, payload);
    } catch (error) {
      problems.push(`${what} ${name(channel)}: threw ${(error as Error).message}`);
      return undefined;
    }
    const shaped =
      result &&
      typeof result === 'object' &&
      (result.ok === true
        ? 'value' in result
        : result.ok === false &&
          typeof result.error?.code === 'string' &&
          typeof result.error?.message === 'string');
    const outcome = result?.ok ? 'ok' : String(result?.error?.code);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (!shaped) problems.push(`${what} ${name(channel)}: not a Result`);
    else if (!result.ok && result.error.code === 'internal')
      problems.push(`${what} ${name(channel)}: internal: ${result.error.message.slice(0, 300)}`);
    if (typeof channel === 'string' && payload && typeof payload === 'object')
      await endJobs(channel, payload as Record<string, unknown>, result);
    const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PRISTINE.has(k));
    if (polluted.length || ({} as Record<string, unknown>).polluted !== undefined)
      problems.push(`${what} ${name(channel)}: Object.prototype polluted (${polluted.join(', ')})`);
    return result;
  }

  it('random, mutated and prototype-key payloads on every channel: always a Result, never internal, no pollution', async () => {
    const started = Date.now();
    const channels = Object.keys(invokeChannels) as InvokeName[];
    expect(
      channels.filter((c) => !(c in valid)),
      'channels without a valid example',
    ).toEqual([]);

    // Unknown channels, including values no string channel name could be.
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty(), fc.string()), async (channel) => {
        await call(channel, {}, 'channel');
      }),
      { seed: SEED, numRuns: 200 },
    );

    for (const channel of channels) {
      await fc.assert(
        fc.asyncProperty(nasty(), async (payload) => {
          await call(channel, contain(payload), 'random');
        }),
        { seed: SEED, numRuns: RANDOM_RUNS },
      );
      const example = valid[channel];
      // The example itself passes the contract (else its mutations would test nothing but validation).
      const answer = await call(channel, example, 'valid');
      if (answer && !answer.ok && answer.error.code === 'invalid-payload')
        problems.push(`valid ${channel}: example refused: ${answer.error.message.slice(0, 200)}`);
      const fields = leafPaths(example);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: Math.max(0, fields.length - 1) }),
          fc.constantFrom('replace', 'delete', 'extra' as const),
          nasty(),
          async (index, op, value) => {
            const payload = mutate(example, fields[index] ?? [], op, value);
            await call(channel, contain(payload), `mutated(${op} ${fields[index]?.join('.')})`);
          },
        ),
        { seed: SEED, numRuns: SLOW.has(channel) ? SLOW_RUNS : MUTATED_RUNS },
      );
      for (const payload of pollutionPayloads(example)) await call(channel, payload, 'prototype keys');
    }

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `IPC fuzz: ${calls} calls over ${channels.length} channels in ${seconds.toFixed(1)} s (seed ${SEED}); ` +
        `${problems.length} problems; outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    expect(problems).toEqual([]);
  }, 300_000);
});

/** A channel as text for a report (String() of a deep array overflows the stack). */
function name(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 40) : `(${typeof channel})`;
}

describe('dispatchInvoke on a channel that is not a string', () => {
  it('answers unknown-channel for a BigInt, a cycle or deep nesting instead of throwing', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const channel of [1n, { n: 2n }, cycle, DEEP_ARRAY, nest(100_000, (inner) => [inner])]) {
      const result = await dispatchInvoke(createHandlerTable(), {} as Services, channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });
});

describe('a path with a NUL character', () => {
  // Node's fs throws on it (ERR_INVALID_ARG_VALUE), which surfaced as an 'internal' failure before the contract
  // refused it; now every path field answers invalid-payload, naming the field.
  it('is an invalid payload on every path field', async () => {
    const p = '/tmp/a\0b';
    const id = '00000000-0000-4000-8000-000000000000';
    const cases: [string, Record<string, unknown>, (string | number)[]][] = [
      ['dataset:import', { projectId: 'p', paths: [p] }, ['paths', 0]],
      ['dataset:export', { projectId: 'p', dir: p }, ['dir']],
      ['inspect:image', { projectId: 'p', source: { file: p } }, ['source']],
      ['export:run', { projectId: 'p', format: 'native', dir: p }, ['dir']],
      ['prediction:copyToFolders', { batchId: id, dir: p }, ['dir']],
      ['prediction:exportCsv', { batchId: id, file: p }, ['file']],
      ['prediction:explain', { projectId: 'p', file: p }, ['file']],
      ['prediction:model', { projectId: 'p', modelFile: p }, ['modelFile']],
    ];
    for (const [channel, payload, at] of cases) {
      const result = await dispatchInvoke(createHandlerTable(), {} as Services, channel, payload);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      const issues = (result as { error: { details: { issues: { path: unknown[] }[] } } }).error.details
        .issues;
      expect(
        issues.map((i) => i.path.slice(0, at.length)),
        channel,
      ).toContainEqual(at);
    }
  });
});

const PRISTINE = new Set(Object.getOwnPropertyNames(Object.prototype));
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Values a hostile or broken page could send: anything, with the edge cases weighted in. */
function nasty(): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 }));
  return fc.oneof(
    fc.anything({
      key,
      maxDepth: 3,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
    }),
    fc.constantFrom(
      NaN,
      Infinity,
      -Infinity,
      -0,
      2 ** 53,
      -1,
      1e308,
      0.5,
      '',
      ' ',
      '\u0000',
      '\u202e',
      HUGE,
      DEEP_OBJECT,
      DEEP_ARRAY,
    ),
    fc.array(fc.anything({ key, maxDepth: 2 }), { maxLength: 5 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('../../../../etc/passwd', '/', '.', 'C:\\Windows', 'app://ui/../../x', '%2e%2e/'),
  );
}

const HUGE = 'x'.repeat(5_000_000);
const DEEP_OBJECT = nest(2_000, (inner) => ({ a: inner }));
const DEEP_ARRAY = nest(2_000, (inner) => [inner]);
function nest(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

/** Every field path of a payload (nested objects and array items included). */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...leafPaths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...leafPaths(v, [...prefix, k]));
  return out;
}

/** The payload with one field replaced, deleted, or a field added next to it. */
function mutate(
  example: Record<string, unknown>,
  at: (string | number)[],
  op: 'replace' | 'delete' | 'extra',
  value: unknown,
): unknown {
  if (at.length === 0) return op === 'replace' ? value : example;
  const copy = structuredClone(example) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (op === 'replace') parent[last] = value;
  else if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (!Array.isArray(parent))
    Object.defineProperty(parent, PROTO_KEYS[String(last).length % PROTO_KEYS.length], {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

/** The valid payload carrying own `__proto__` / `constructor.prototype` keys, as JSON.parse would make them. */
function pollutionPayloads(example: Record<string, unknown>): unknown[] {
  const body = JSON.stringify(example).slice(1, -1);
  const sep = body ? ',' : '';
  return [
    JSON.parse(`{${body}${sep}"__proto__":{"polluted":true}}`),
    JSON.parse(`{${body}${sep}"constructor":{"prototype":{"polluted":true}}}`),
    JSON.parse(`{"__proto__":{"polluted":true},"prototype":{"polluted":true}}`),
  ];
}
