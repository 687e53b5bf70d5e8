import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../main/services/services';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';

const cli = runCliCaptured;

describe('cnn-studio model (in process)', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeEach(() => (temp = makeTempDir()));
  afterEach(() => temp.cleanup());

  it('describes the reference CNN as a table with totals and the parameter-sharing saving', async () => {
    const r = await cli(temp.dir, 'model', 'describe', '--preset', 'reference');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Preset reference: 28×28×1 input, 10 classes/);
    expect(r.out).toMatch(/^1 +conv 3×3, 16 filters, stride 1, same +16×28×28 +160$/m);
    expect(r.out).toMatch(/^8 +dense 128 +128×1×1 +200,832$/m);
    expect(r.out).toMatch(/Total parameters: 206,922/);
    expect(r.out).toMatch(/would need 29,724,426 parameters \(144× as many\)/);
  });

  it('prints JSON with --json and honours --size, --color and --classes', async () => {
    const r = await cli(
      temp.dir,
      '--json',
      'model',
      'describe',
      '--preset',
      'small',
      '--size',
      '32',
      '--color',
      'rgb',
      '--classes',
      '5',
    );
    expect(r.code).toBe(0);
    const d = r.json();
    expect(d.spec.input).toEqual({ height: 32, width: 32, channels: 3 });
    expect(d.spec.numClasses).toBe(5);
    expect(d.description.layers.at(-1)).toMatchObject({ type: 'dense', outputShape: [5, 1, 1] });
    expect(d.description.totalParams).toBe(
      d.description.layers.reduce((n: number, l: { params: number }) => n + l.params, 0),
    );
  });

  it('defaults to the recommended preset for the size', async () => {
    expect((await cli(temp.dir, '--json', 'model', 'describe')).json().preset).toBe('small');
    expect(
      (await cli(temp.dir, '--json', 'model', 'describe', '--size', '96', '--color', 'rgb')).json().preset,
    ).toBe('medium');
  });

  it("reads a project's size, colour and labels with --project", async () => {
    const services = createServices({ dataDir: temp.dir, workersDir: '', mediaBaseUrl: '', version: 'test' });
    try {
      const p = services.projects.create({ name: 'Pets', inputSize: 48, color: 'rgb' });
      for (const name of ['cat', 'dog']) services.dataset.createLabel(p.id, name);
    } finally {
      await services.dispose();
    }
    const d = (
      await cli(temp.dir, '--json', 'model', 'describe', '--project', 'Pets', '--preset', 'reference')
    ).json();
    expect(d).toMatchObject({
      classesFrom: 'labels',
      spec: { numClasses: 2, input: { height: 48, channels: 3 } },
    });
  });

  it('lists the presets', async () => {
    const r = await cli(temp.dir, '--json', 'model', 'presets');
    expect(r.json().presets.map((p: { name: string }) => p.name)).toEqual([
      'small',
      'medium',
      'large',
      'reference',
    ]);
    expect((await cli(temp.dir, 'model', 'presets')).out).toMatch(/^reference +The classic two-conv CNN/m);
  });

  it.each([
    [['--preset', 'huge'], /must be one of small, medium, large, reference/],
    [['--size', '4'], /--size/],
    [['--color', 'cmyk'], /gray or rgb/],
    [['--classes', '1'], /--classes/],
  ])('refuses bad options %j with exit code 2', async (args, message) => {
    const r = await cli(temp.dir, 'model', 'describe', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('fails with exit code 1 for an unknown project', async () => {
    const r = await cli(temp.dir, 'model', 'describe', '--project', 'Nope');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Nope/);
  });
});
