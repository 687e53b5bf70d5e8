import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../../../native-workers/cnn/bundle';
import { buildModel } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import { deserializeModel, readModelHeader, serializeModel } from '../../../native-workers/cnn/serialize';
import { utf8Decode, utf8Encode } from '../../../native-workers/cnn/utf8';
import { expectBitwiseEqual } from './bitwise';

describe('model serialization', () => {
  it('round-trips spec, parameters and batchnorm stats exactly', () => {
    const spec = presetSpec('small', { height: 10, width: 10, channels: 3 }, 5);
    const model = buildModel(spec, { seed: 9, batchSize: 4 });
    const rng = new Rng(2);
    const x = new Float32Array(4 * model.inputSize).map(() => rng.normal());
    model.computeGradients(x, [0, 1, 2, 3]); // updates the batchnorm running stats
    model.params[0] = Number.MIN_VALUE; // a denormal survives too
    model.params[1] = -0;
    const bytes = serializeModel(model, { classNames: ['cat', 'chien', '猫', '🐈', 'e'] });
    const { model: loaded, meta } = deserializeModel(bytes, { batchSize: 2 });
    expect(loaded.spec).toEqual(spec);
    expectBitwiseEqual(loaded.params, model.params, 'loaded.params');
    expect(Object.is(loaded.params[1], -0)).toBe(true);
    expectBitwiseEqual(loaded.state, model.state, 'loaded.state');
    expect(meta).toEqual({ classNames: ['cat', 'chien', '猫', '🐈', 'e'] });
    expect(readModelHeader(bytes).spec).toEqual(spec);
    const a = model.predict(x.subarray(0, 2 * model.inputSize)).slice();
    expect(loaded.predict(x.subarray(0, 2 * model.inputSize))).toEqual(a);
  });

  it('rejects foreign or damaged buffers', () => {
    const bytes = serializeModel(
      buildModel(presetSpec('reference', { height: 8, width: 8, channels: 1 }, 2), { seed: 1, batchSize: 1 }),
    );
    expect(() =>
      deserializeModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), { batchSize: 1 }),
    ).toThrow('not a CNN Studio');
    expect(() => deserializeModel(bytes.subarray(0, bytes.length - 4), { batchSize: 1 })).toThrow(
      'truncated',
    );
    const other = encodeBundle({ format: 'something-else' }, {});
    expect(() => deserializeModel(other, { batchSize: 1 })).toThrow('not a model file');
  });

  it('bundle and utf8 helpers round-trip', () => {
    const s = 'plain, accents éè, CJK 漢字, emoji 🎉';
    expect(utf8Decode(utf8Encode(s))).toBe(s);
    const { header, sections } = decodeBundle<{ a: number }>(
      encodeBundle({ a: 1 }, { x: new Float32Array([1.5, NaN]) }),
    );
    expect(header.a).toBe(1);
    expect(sections.x[0]).toBe(1.5);
    expect(Number.isNaN(sections.x[1])).toBe(true);
  });
});
