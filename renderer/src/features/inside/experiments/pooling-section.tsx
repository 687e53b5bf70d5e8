import { useMemo, useState } from 'react';
import type { Inspection } from '../../../../../app/domain/inspect';
import type { NetworkLayerInfo } from '../../../../../app/domain/model-description';
import type { InsideExperimentsMessages } from '../../../i18n/inside-experiments-en';
import { tileBytes, base64ToBytes, grayOf, toRgba } from '../atlas';
import { cellSize, GridCanvas } from './grid-canvas';
import { layerInputAtlas, liveliestTile, shapeText } from './layer-input';
import { poolingWalk } from './pooling-walk';
import { stepKeys, StepperControls } from './stepper-controls';
import { useStepper } from './use-stepper';

/** The first max pooling layer's window walking over one real feature map, keeping each window's maximum. */
export function PoolingSection({
  inspection,
  layers,
  t,
}: {
  inspection: Inspection;
  layers: NetworkLayerInfo[];
  t: InsideExperimentsMessages;
}) {
  const p = t.pooling;
  const index = layers.findIndex(
    (l, i) => l.spec.type === 'maxPool2d' && l.geometry && i > 0 && layerInputAtlas(inspection, i),
  );
  const info = layers[index];
  const maps = index > 0 ? layerInputAtlas(inspection, index) : null;
  const [channel, setChannel] = useState<number | null>(null);
  const tile = maps ? Math.min(channel ?? liveliestTile(maps), maps.tiles - 1) : 0;
  const source = useMemo(() => (maps ? tileBytes(maps, base64ToBytes(maps.data), tile) : null), [maps, tile]);
  const g = info?.geometry;
  const steps = useMemo(
    () =>
      source && maps && g
        ? poolingWalk(grayOf(source, maps.channels), maps.tileHeight, maps.tileWidth, g.window, g.stride)
        : [],
    [source, maps, g],
  );
  const sourceRgba = useMemo(() => (source && maps ? toRgba(source, maps.channels) : null), [source, maps]);
  const stepper = useStepper(steps.length, 250);
  const outH = steps.length ? steps[steps.length - 1].row + 1 : 0;
  const outW = steps.length ? steps[steps.length - 1].col + 1 : 0;
  // The pooled map so far: cells up to the current step show their kept value, the rest stay dark.
  const pooled = useMemo(() => {
    const gray = new Uint8Array(outH * outW);
    steps.slice(0, stepper.step + 1).forEach((s) => (gray[s.row * outW + s.col] = s.value));
    return toRgba(gray, 1);
  }, [steps, stepper.step, outH, outW]);
  const kept = useMemo(
    () => steps.slice(0, stepper.step + 1).map((s) => ({ y: s.maxY, x: s.maxX })),
    [steps, stepper.step],
  );
  if (!info || !g || !maps || !sourceRgba || steps.length === 0) {
    return (
      <section className="xp-section card" aria-labelledby="xp-pool">
        <h3 id="xp-pool">{p.title}</h3>
        <p className="xp-explain">{p.none}</p>
      </section>
    );
  }
  const now = steps[stepper.step];
  const inCell = cellSize(Math.max(maps.tileHeight, maps.tileWidth), 300);
  const outCell = cellSize(Math.max(outH, outW), 200);
  const inShape = shapeText([maps.tileHeight, maps.tileWidth]);
  return (
    <section className="xp-section card" aria-labelledby="xp-pool" data-testid="xp-pooling">
      <h3 id="xp-pool">{p.title}</h3>
      <p className="xp-explain">{p.explain}</p>
      <div className="xp-pickers">
        <span>{p.layerInfo(index + 1, g.window.join('×'), g.stride.join('×'))}</span>
        {maps.tiles > 1 && (
          <label>
            {p.channel}{' '}
            <input
              type="number"
              min={1}
              max={maps.tiles}
              value={tile + 1}
              onChange={(e) => setChannel(Math.max(0, Number(e.target.value) - 1))}
            />
          </label>
        )}
      </div>
      <div className="xp-figure">
        <figure>
          <GridCanvas
            rgba={sourceRgba}
            width={maps.tileWidth}
            height={maps.tileHeight}
            cell={inCell}
            window={{ top: now.top, left: now.left, height: g.window[0], width: g.window[1] }}
            marks={kept}
            current={{ y: now.maxY, x: now.maxX }}
            label={p.canvasLabel}
            testId="xp-pool-input"
            onKeyDown={stepKeys(stepper, outW)}
          />
          <figcaption>{p.mapOf(tile, inShape)}</figcaption>
        </figure>
        <figure>
          <GridCanvas
            rgba={pooled}
            width={outW}
            height={outH}
            cell={outCell}
            current={{ y: now.row, x: now.col }}
            label={p.result(shapeText([outH, outW]))}
          />
          <figcaption>{p.result(shapeText([outH, outW]))}</figcaption>
        </figure>
        <div className="xp-formula">
          <p className="xp-cell" data-testid="xp-pool-cell">
            {p.cell(now.row, now.col, now.maxY, now.maxX)}
          </p>
          <p>
            <span className="xp-swatch" aria-hidden /> {p.kept}
          </p>
        </div>
      </div>
      <StepperControls stepper={stepper} count={steps.length} t={t} testId="xp-pool-controls" />
    </section>
  );
}
