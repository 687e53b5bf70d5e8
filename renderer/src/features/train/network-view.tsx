import { useId, useMemo, type CSSProperties, type ReactNode } from 'react';
import type { ActivationShape, LayerDescription, LayerType } from '../../../../app/domain/model-spec';
import type {
  ModelPresetList,
  ModelPresetName,
  NetworkDescription,
  NetworkLayerInfo,
} from '../../../../app/domain/model-description';
import { useLocale } from '../../i18n/i18n';
import type { NetworkMessages } from '../../i18n/network-en';
import { TILE, isSpatial, keepsShape, ratio, stackCount, tileSize, vectorHeight } from './network-format';

/** Locale-aware number formatting for the explorer. */
export function useNumbers() {
  const { locale } = useLocale();
  return useMemo(() => {
    const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
    return { n: (x: number) => whole.format(x), compact: (x: number) => compact.format(x) };
  }, [locale]);
}

/** The preset picker: a radio group of cards, the recommended one marked. */
export function PresetPicker({
  t,
  list,
  value,
  onChange,
}: {
  t: NetworkMessages;
  list: ModelPresetList;
  value: ModelPresetName | null;
  onChange(preset: ModelPresetName): void;
}) {
  const name = useId();
  return (
    <fieldset className="preset-picker">
      <legend className="network-subheading">{t.presetsLabel}</legend>
      <div className="preset-options">
        {list.presets.map((p) => {
          const text = t.presets[p.name];
          const descId = `${name}-${p.name}-desc`;
          return (
            <label key={p.name} className="preset-option">
              <input
                type="radio"
                name={name}
                value={p.name}
                checked={value === p.name}
                onChange={() => onChange(p.name)}
                aria-describedby={descId}
              />
              <span className="preset-text">
                <span className="preset-title">
                  {text.title}
                  {list.recommended === p.name && <span className="preset-badge">{t.recommended}</span>}
                </span>
                <span className="preset-description" id={descId}>
                  {text.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

type GlyphKind = 'input' | 'conv' | 'pool' | 'vector' | 'dense' | 'softmax';

/** A drawing of an activation shape: a stack of feature-map tiles sized by their height and width, or a bar. */
function ShapeGlyph({
  shape,
  inputSize,
  kind,
  rgb,
}: {
  shape: ActivationShape;
  inputSize: number;
  kind: GlyphKind;
  rgb?: boolean;
}) {
  if (!isSpatial(shape)) {
    return (
      <div className="glyph" aria-hidden="true">
        <div className={`glyph-vector glyph-${kind}`} style={{ height: vectorHeight(shape[0]) }} />
      </div>
    );
  }
  const { height, width } = tileSize(shape, inputSize);
  const count = rgb ? 3 : stackCount(shape[0]);
  const tiles = Array.from({ length: count }, (_, i) => i);
  const span = (count - 1) * TILE.offset;
  return (
    <div className="glyph" aria-hidden="true">
      <div className="glyph-stack" style={{ width: width + span, height: height + span }}>
        {tiles.map((i) => {
          const style: CSSProperties = {
            width,
            height,
            left: i * TILE.offset,
            top: span - i * TILE.offset,
            zIndex: count - i,
          };
          const channel = rgb ? ` glyph-rgb-${i}` : '';
          return <div key={i} className={`glyph-tile glyph-${kind}${channel}`} style={style} />;
        })}
      </div>
    </div>
  );
}

function glyphKind(type: LayerType): GlyphKind {
  if (type === 'conv2d') return 'conv';
  if (type === 'maxPool2d' || type === 'avgPool2d' || type === 'globalAvgPool') return 'pool';
  if (type === 'dense') return 'dense';
  return 'vector';
}

function ShapeText({
  t,
  shape,
  n,
}: {
  t: NetworkMessages;
  shape: ActivationShape;
  n: (x: number) => string;
}) {
  if (!isSpatial(shape)) return <>{t.shapeVector(n(shape[0]))}</>;
  return (
    <abbr title={t.shapeMapsLong(n(shape[0]), shape[1], shape[2])}>
      {t.shapeMaps(n(shape[0]), shape[1], shape[2])}
    </abbr>
  );
}

/** One row of the layer list. */
function LayerRow({
  number,
  title,
  chips,
  glyph,
  compact,
  output,
  params,
  formula,
  explanation,
  explainOpen,
  t,
  testId,
}: {
  number: number | null;
  title: string;
  chips: string[];
  glyph: ReactNode;
  compact: boolean;
  output: ReactNode;
  params: string;
  formula?: string;
  explanation: string;
  explainOpen: boolean;
  t: NetworkMessages;
  testId: string;
}) {
  const headingId = useId();
  return (
    <li className={`layer-row${compact ? ' compact' : ''}`} aria-labelledby={headingId} data-testid={testId}>
      <div className="layer-glyph">{compact ? <span className="layer-dot" aria-hidden="true" /> : glyph}</div>
      <div className="layer-main">
        <h4 className="layer-title" id={headingId}>
          {number !== null && <span className="layer-number">{number}</span>}
          {number !== null && <span className="visually-hidden">{t.layerNumber(number)}: </span>}
          {title}
        </h4>
        {chips.length > 0 && (
          <ul className="layer-chips">
            {chips.map((c) => (
              <li key={c} className="layer-chip">
                {c}
              </li>
            ))}
          </ul>
        )}
        {formula && <p className="layer-formula">{formula}</p>}
        {explainOpen ? (
          <p className="layer-explanation">{explanation}</p>
        ) : (
          <details className="layer-more">
            <summary>{t.explain}</summary>
            <p className="layer-explanation">{explanation}</p>
          </details>
        )}
      </div>
      <dl className="layer-numbers">
        <div>
          <dt>{t.output}</dt>
          <dd className="layer-shape">{output}</dd>
        </div>
        <div>
          <dt>{t.params}</dt>
          <dd className="layer-params">{params}</dd>
        </div>
      </dl>
    </li>
  );
}

function chipsFor(
  t: NetworkMessages,
  layer: NetworkLayerInfo,
  desc: LayerDescription,
  n: (x: number) => string,
  last: boolean,
) {
  const { spec, geometry } = layer;
  const chips: string[] = [];
  const pairText = (p: [number, number]) => (p[0] === p[1] ? n(p[0]) : `${p[0]}×${p[1]}`);
  if (spec.type === 'conv2d' && geometry) {
    chips.push(
      t.details.filters(n(spec.filters)),
      t.details.kernel(...geometry.window),
      t.details.stride(pairText(geometry.stride)),
    );
    const { top, bottom, left, right } = geometry.padding;
    const pads = [...new Set([top, bottom, left, right])];
    chips.push(
      top + bottom + left + right === 0 ? t.details.paddingNone : t.details.paddingSame(pads.join('–')),
    );
  } else if ((spec.type === 'maxPool2d' || spec.type === 'avgPool2d') && geometry) {
    chips.push(t.details.window(...geometry.window), t.details.stride(pairText(geometry.stride)));
  } else if (spec.type === 'dense') {
    chips.push(last ? t.details.classes(n(spec.units)) : t.details.units(n(spec.units)));
  } else if (spec.type === 'dropout') {
    chips.push(t.details.rate(Math.round(spec.rate * 100)));
  }
  void desc;
  return chips;
}

function formulaFor(
  t: NetworkMessages,
  layer: NetworkLayerInfo,
  desc: LayerDescription,
  n: (x: number) => string,
) {
  const [c] = layer.inputShape;
  const spec = layer.spec;
  if (spec.type === 'conv2d' && layer.geometry) {
    const [kh, kw] = layer.geometry.window;
    return t.formula.conv(n(spec.filters), `${kh}×${kw}`, n(c), n(kh * kw * c + 1));
  }
  if (spec.type === 'dense')
    return t.formula.dense(n(c * layer.inputShape[1] * layer.inputShape[2]), n(spec.units));
  if (spec.type === 'batchNorm') return t.formula.batchNorm(n(c));
  void desc;
  return undefined;
}

/** The input, every layer, and the softmax that turns the last layer's scores into probabilities. */
export function LayerList({ t, network }: { t: NetworkMessages; network: NetworkDescription }) {
  const { n } = useNumbers();
  const { description, layers, spec } = network;
  const inputSize = Math.max(spec.input.height, spec.input.width);
  const seen = new Set<string>();
  const firstOf = (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const lastIndex = description.layers.length - 1;
  return (
    <ol
      className="layer-list"
      aria-label={t.layersLabel(network.preset === 'custom' ? t.custom : t.presets[network.preset].title)}
    >
      <LayerRow
        t={t}
        testId="layer-input"
        number={null}
        title={t.types.input}
        chips={[t.channels(spec.input.channels)]}
        glyph={
          <ShapeGlyph
            shape={description.input}
            inputSize={inputSize}
            kind="input"
            rgb={spec.input.channels === 3}
          />
        }
        compact={false}
        output={<ShapeText t={t} shape={description.input} n={n} />}
        params={t.noParams}
        explanation={t.explanations.input}
        explainOpen={firstOf('input')}
      />
      {description.layers.map((d, i) => {
        const info = layers[i];
        const last = i === lastIndex;
        const explanation =
          d.type === 'dense' && last
            ? `${t.explanations.dense} ${t.explanations.denseLast}`
            : t.explanations[d.type];
        return (
          <LayerRow
            key={d.index}
            t={t}
            testId={`layer-${d.index + 1}`}
            number={d.index + 1}
            title={t.types[d.type]}
            chips={chipsFor(t, info, d, n, last)}
            glyph={<ShapeGlyph shape={d.outputShape} inputSize={inputSize} kind={glyphKind(d.type)} />}
            compact={keepsShape(d.type)}
            output={<ShapeText t={t} shape={d.outputShape} n={n} />}
            params={d.params === 0 ? t.noParams : n(d.params)}
            formula={formulaFor(t, info, d, n)}
            explanation={explanation}
            explainOpen={firstOf(d.type) || (last && d.type === 'dense')}
          />
        );
      })}
      <LayerRow
        t={t}
        testId="layer-softmax"
        number={null}
        title={t.types.softmax}
        chips={[t.details.classes(n(spec.numClasses))]}
        glyph={<ShapeGlyph shape={[spec.numClasses, 1, 1]} inputSize={inputSize} kind="softmax" />}
        compact={false}
        output={t.shapeVector(n(spec.numClasses))}
        params={t.noParams}
        explanation={t.explanations.softmax}
        explainOpen
      />
    </ol>
  );
}

/** Total parameters, compute, input and classes. */
export function TotalsPanel({ t, network }: { t: NetworkMessages; network: NetworkDescription }) {
  const { n, compact } = useNumbers();
  const { spec, description } = network;
  return (
    <section className="card" aria-labelledby="network-totals">
      <h3 className="network-subheading" id="network-totals">
        {t.totals.heading}
      </h3>
      <dl className="totals">
        <div className="totals-main">
          <dt>{t.totals.params}</dt>
          <dd data-testid="total-params">{n(description.totalParams)}</dd>
        </div>
        <div>
          <dt>{t.totals.macs}</dt>
          <dd title={n(description.totalMacs)}>{compact(description.totalMacs)}</dd>
        </div>
        <div>
          <dt>{t.totals.input}</dt>
          <dd>{t.totals.inputValue(spec.input.height, spec.input.channels)}</dd>
        </div>
        <div className="totals-classes">
          <dt>{t.totals.classes}</dt>
          <dd>
            {network.classesFrom === 'labels'
              ? t.totals.classesFromLabels(n(spec.numClasses))
              : t.totals.classesDefault(n(spec.numClasses))}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** What parameter sharing saves: each convolution next to a fully connected layer with the same outputs. */
export function SharingPanel({ t, network }: { t: NetworkMessages; network: NetworkDescription }) {
  const { n } = useNumbers();
  const { description } = network;
  const convs = description.layers.filter((l) => l.type === 'conv2d');
  const total = ratio(description.totalFullyConnectedParams, description.totalParams);
  return (
    <section className="card" aria-labelledby="network-sharing">
      <h3 className="network-subheading" id="network-sharing">
        {t.sharing.heading}
      </h3>
      <p className="network-card-text">{t.sharing.body}</p>
      <ul className="sharing-list">
        {convs.map((l, i) => (
          <li key={l.index} className="sharing-row">
            <span className="sharing-name">{t.sharing.layer(i + 1)}</span>
            <span className="sharing-compare">
              {t.sharing.compare(n(l.params), n(l.fullyConnectedParams))}
            </span>
            <span className="sharing-times">
              {t.sharing.times(n(ratio(l.fullyConnectedParams, l.params)))}
            </span>
          </li>
        ))}
      </ul>
      <p className="sharing-total" data-testid="sharing-total">
        {t.sharing.total(n(total), n(description.totalFullyConnectedParams))}
      </p>
    </section>
  );
}
