import { useMemo, useState } from 'react';
import type { Inspection } from '../../../../../app/domain/inspect';
import type { NetworkLayerInfo } from '../../../../../app/domain/model-description';
import type { InsideExperimentsMessages } from '../../../i18n/inside-experiments-en';
import { tileBytes, base64ToBytes, toRgba } from '../atlas';
import { cellSize, GridCanvas } from './grid-canvas';
import { layerInputAtlas, liveliestTile, layerOutput, shapeText } from './layer-input';
import { stepKeys, StepperControls } from './stepper-controls';
import { useStepper } from './use-stepper';
import { paddedCells, windowArithmetic, windowAt, type AxisArithmetic } from './window-geometry';

function formula(a: AxisArithmetic): string {
  return `⌊(${a.input} + ${a.padBefore} + ${a.padAfter} − ${a.window}) / ${a.stride}⌋ + 1 = ${a.output}`;
}

/** One convolution's real window sliding with its real stride over its real (zero-padded) input. */
export function StrideSection({
  inspection,
  layers,
  t,
}: {
  inspection: Inspection;
  layers: NetworkLayerInfo[];
  t: InsideExperimentsMessages;
}) {
  const s = t.stride;
  const convs = layers.flatMap((l, i) =>
    l.spec.type === 'conv2d' && l.geometry && layerInputAtlas(inspection, i) ? [i] : [],
  );
  const [chosen, setChosen] = useState<number | null>(null);
  const index = chosen !== null && convs.includes(chosen) ? chosen : (convs[0] ?? -1);
  const info = layers[index];
  const input = index >= 0 ? layerInputAtlas(inspection, index) : null;
  const output = index >= 0 ? layerOutput(inspection, index) : undefined;
  const [channel, setChannel] = useState<number | null>(null);
  const { tile, inPixels } = useMemo(() => {
    if (!input) return { tile: 0, inPixels: null };
    const k = Math.min(channel ?? liveliestTile(input), input.tiles - 1);
    return { tile: k, inPixels: toRgba(tileBytes(input, base64ToBytes(input.data), k), input.channels) };
  }, [input, channel]);
  const outPixels = useMemo(() => {
    const maps = output?.maps;
    return maps
      ? toRgba(tileBytes(maps, base64ToBytes(maps.data), liveliestTile(maps)), maps.channels)
      : null;
  }, [output]);
  const arithmetic =
    info?.geometry && input ? windowArithmetic(info.geometry, input.tileHeight, input.tileWidth) : null;
  const count = arithmetic ? arithmetic.rows.output * arithmetic.cols.output : 0;
  const stepper = useStepper(count, 120);
  if (!info?.geometry || !input || !inPixels || !arithmetic) {
    return (
      <section className="xp-section card" aria-labelledby="xp-stride">
        <h3 id="xp-stride">{s.title}</h3>
        <p className="xp-explain">{s.none}</p>
      </section>
    );
  }
  const { rows, cols } = arithmetic;
  const g = info.geometry;
  const at = windowAt(stepper.step, rows, cols);
  const outShape = [info.spec.type === 'conv2d' ? info.spec.filters : 0, rows.output, cols.output];
  const tableShape = output?.shape ?? layers[index + 1]?.inputShape;
  const pad = { top: rows.padBefore, bottom: rows.padAfter, left: cols.padBefore, right: cols.padAfter };
  const inCell = cellSize(
    Math.max(rows.input + pad.top + pad.bottom, cols.input + pad.left + pad.right),
    300,
  );
  const outCell = cellSize(Math.max(rows.output, cols.output), 200);
  return (
    <section className="xp-section card" aria-labelledby="xp-stride" data-testid="xp-stride">
      <h3 id="xp-stride">{s.title}</h3>
      <p className="xp-explain">{s.explain}</p>
      <div className="xp-pickers">
        <label>
          {s.layer}{' '}
          <select value={index} onChange={(e) => setChosen(Number(e.target.value))}>
            {convs.map((i) => {
              const lg = layers[i].geometry!;
              return (
                <option key={i} value={i}>
                  {s.layerOption(i + 1, lg.window.join('×'), lg.stride.join('×'), s.padding[lg.padding.mode])}
                </option>
              );
            })}
          </select>
        </label>
        {input.tiles > 1 && (
          <label>
            {s.channel}{' '}
            <input
              type="number"
              min={1}
              max={input.tiles}
              value={tile + 1}
              onChange={(e) => setChannel(Math.max(0, Number(e.target.value) - 1))}
            />
          </label>
        )}
      </div>
      <div className="xp-figure">
        <figure>
          <GridCanvas
            rgba={inPixels}
            width={cols.input}
            height={rows.input}
            cell={inCell}
            pad={pad}
            window={{ top: at.top, left: at.left, height: g.window[0], width: g.window[1] }}
            label={s.canvasLabel}
            testId="xp-stride-input"
            onKeyDown={stepKeys(stepper, cols.output)}
          />
          <figcaption>
            {s.inputOf(shapeText([input.channels === 3 ? 3 : input.tiles, rows.input, cols.input]))}
          </figcaption>
        </figure>
        <figure>
          {outPixels && (
            <GridCanvas
              rgba={outPixels}
              width={cols.output}
              height={rows.output}
              cell={outCell}
              current={{ y: at.row, x: at.col }}
              label={s.outputOf(shapeText(outShape))}
            />
          )}
          <figcaption>{s.outputOf(shapeText(outShape))}</figcaption>
        </figure>
        <div className="xp-formula" data-testid="xp-stride-formula">
          <p>
            <strong>{s.formulaRows}</strong> {formula(rows)}
          </p>
          <p>
            <strong>{s.formulaCols}</strong> {formula(cols)}
          </p>
          <p data-testid="xp-stride-output">{s.outputOf(shapeText(outShape))}</p>
          {tableShape && (
            <p className="xp-check">
              {tableShape[1] === rows.output && tableShape[2] === cols.output
                ? s.matches(shapeText(tableShape))
                : s.mismatch(shapeText(tableShape))}
            </p>
          )}
          <p className="xp-cell">{s.cell(at.row, at.col, paddedCells(at, rows, cols))}</p>
        </div>
      </div>
      <StepperControls stepper={stepper} count={count} t={t} testId="xp-stride-controls" />
    </section>
  );
}
