import { useEffect, useId, useRef, useState } from 'react';
import type {
  ActivationShape,
  LayerDescription,
  LayerSpec,
  PaddingSpec,
} from '../../../../app/domain/model-spec';
import type { NetworkDescription } from '../../../../app/domain/model-description';
import type { AppError } from '../../../../app/ipc/result';
import { ErrorMessage } from '../../components/error-message';
import { ArrowDownIcon, ArrowUpIcon, CloseIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import type { TrainingMessages } from '../../i18n/training-en';
import {
  ADDABLE_LAYERS,
  addLayer,
  moveLayer,
  problemKind,
  removeLayer,
  updateLayer,
  type AddableLayer,
  type EditorLayer,
  type LayerProblem,
} from './layer-editing';
import { useNumbers } from './network-view';
import { NumberField, SelectField, type ValidityListener } from './settings-fields';
import { LAYER_LIMITS } from './settings-limits';

type Numbers = ReturnType<typeof useNumbers>;

function shapeText(t: TrainingMessages['layers'], shape: ActivationShape, { n }: Numbers): string {
  return shape[1] === 1 && shape[2] === 1
    ? t.shapeVector(n(shape[0]))
    : t.shapeMaps(n(shape[0]), shape[1], shape[2]);
}

/**
 * The layer editor: the user's layers between the project's input and the classifier main adds, each with its
 * settings, output shape and parameter count (from `model:describe`, measured as the list changes), buttons to
 * move and remove it, and a menu to add layers. A layer that does not fit is highlighted and explained.
 */
export function LayerEditor({
  layers,
  onChange,
  description,
  describing,
  problem,
  describeError,
  onValidity,
}: {
  layers: EditorLayer[];
  onChange(layers: EditorLayer[]): void;
  description: NetworkDescription | null;
  describing: boolean;
  problem: LayerProblem | null;
  describeError: AppError | null;
  onValidity: ValidityListener;
}) {
  const messages = useT();
  const t = messages.training.layers;
  const types = messages.network.types;
  const numbers = useNumbers();
  const { n } = numbers;
  const [addType, setAddType] = useState<AddableLayer>('conv2d');
  const problemId = useId();
  // After a move, focus follows the moved layer's button (React moves the DOM nodes, which drops focus).
  const [focusAfterMove, setFocusAfterMove] = useState<{ id: number; dir: 'up' | 'down' } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    if (!focusAfterMove) return;
    const { id, dir } = focusAfterMove;
    const preferred = buttons.current.get(`${id}-${dir}`);
    const other = buttons.current.get(`${id}-${dir === 'up' ? 'down' : 'up'}`);
    (preferred && !preferred.disabled ? preferred : other)?.focus();
  }, [focusAfterMove, layers]);

  const described = description?.description;
  // With a problem at layer k, the description covers layers 0…k-1 (plus a classifier of its own, not shown).
  const measured = problem ? (problem.layerIndex ?? 0) : layers.length + 1;
  const descOf = (index: number): LayerDescription | undefined =>
    index < measured ? described?.layers[index] : undefined;
  const classifier = descOf(layers.length);
  const kind = problem ? problemKind(problem, layers.length) : null;
  const problemRow = problem?.layerIndex ?? null;
  const problemType =
    problemRow !== null && problemRow < layers.length ? types[layers[problemRow].spec.type] : types.dense;

  return (
    <section className="layer-editor" aria-labelledby={`${problemId}-heading`} aria-busy={describing}>
      <h4 className="train-subheading" id={`${problemId}-heading`}>
        {t.heading}
      </h4>
      <p className="train-hint">{t.intro}</p>
      {problem && kind && (
        <div className="error-message" role="alert" id={problemId}>
          <strong>{problemRow === null ? t.problemInput : t.problemAt(problemRow + 1, problemType)}</strong>{' '}
          {t.problems[kind]} <span className="error-detail">({problem.reason})</span>
        </div>
      )}
      <ErrorMessage error={describeError} context={messages.training.settings.describing} />
      <ol className="layer-editor-list" aria-label={t.listLabel}>
        <li className="editor-row fixed">
          <span className="editor-number" aria-hidden="true" />
          <span className="editor-type">{t.input}</span>
          <span className="editor-fields" />
          <span className="editor-shape">
            {described ? shapeText(t, described.input, numbers) : t.unknown}
          </span>
          <span className="editor-params" />
          <span className="editor-actions" />
        </li>
        {layers.map((layer, i) => {
          const d = descOf(i);
          const invalid = problemRow === i;
          const key = (field: string) => `layer-${layer.id}-${field}`;
          return (
            <li
              key={layer.id}
              className={`editor-row${invalid ? ' invalid' : ''}`}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? problemId : undefined}
              data-testid={`editor-layer-${i + 1}`}
            >
              <span className="editor-number">{i + 1}</span>
              <span className="editor-type">
                <span className="visually-hidden">{t.number(i + 1)}: </span>
                {types[layer.spec.type]}
              </span>
              <span className="editor-fields">
                <LayerFields
                  spec={layer.spec}
                  name={key}
                  onValidity={onValidity}
                  onChange={(spec) => onChange(updateLayer(layers, layer.id, spec))}
                />
              </span>
              <span className="editor-shape">
                <span className="visually-hidden">{t.output}: </span>
                {d ? shapeText(t, d.outputShape, numbers) : t.unknown}
              </span>
              <span className="editor-params">
                <span className="visually-hidden">{t.params}: </span>
                {d ? n(d.params) : t.unknown}
              </span>
              <span className="editor-actions">
                <button
                  type="button"
                  className="icon-button"
                  ref={(el) =>
                    void (el
                      ? buttons.current.set(`${layer.id}-up`, el)
                      : buttons.current.delete(`${layer.id}-up`))
                  }
                  aria-label={t.moveUp(i + 1)}
                  title={t.moveUp(i + 1)}
                  disabled={i === 0}
                  onClick={() => {
                    onChange(moveLayer(layers, layer.id, -1));
                    setFocusAfterMove({ id: layer.id, dir: 'up' });
                  }}
                >
                  <ArrowUpIcon />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  ref={(el) =>
                    void (el
                      ? buttons.current.set(`${layer.id}-down`, el)
                      : buttons.current.delete(`${layer.id}-down`))
                  }
                  aria-label={t.moveDown(i + 1)}
                  title={t.moveDown(i + 1)}
                  disabled={i === layers.length - 1}
                  onClick={() => {
                    onChange(moveLayer(layers, layer.id, 1));
                    setFocusAfterMove({ id: layer.id, dir: 'down' });
                  }}
                >
                  <ArrowDownIcon />
                </button>
                <button
                  type="button"
                  className="icon-button danger"
                  aria-label={t.remove(i + 1)}
                  title={t.remove(i + 1)}
                  onClick={() => onChange(removeLayer(layers, layer.id))}
                >
                  <CloseIcon />
                </button>
              </span>
            </li>
          );
        })}
        <li
          className={`editor-row fixed${problemRow !== null && problemRow >= layers.length ? ' invalid' : ''}`}
          data-testid="editor-classifier"
        >
          <span className="editor-number">{layers.length + 1}</span>
          <span className="editor-type">{t.classifier}</span>
          <span className="editor-fields train-hint">{t.classifierNote}</span>
          <span className="editor-shape">
            {classifier ? shapeText(t, classifier.outputShape, numbers) : t.unknown}
          </span>
          <span className="editor-params">{classifier ? n(classifier.params) : t.unknown}</span>
          <span className="editor-actions">
            <span className="chip">{t.fixed}</span>
          </span>
        </li>
      </ol>
      {layers.length === 0 && (
        <p className="train-field-error" role="alert">
          {t.empty}
        </p>
      )}
      <div className="layer-editor-footer">
        <div className="layer-add">
          <SelectField<AddableLayer>
            compact
            label={t.addType}
            value={addType}
            options={ADDABLE_LAYERS.map((type) => ({ value: type, label: types[type] }))}
            onChange={setAddType}
          />
          <button type="button" className="button small" onClick={() => onChange(addLayer(layers, addType))}>
            {t.add}
          </button>
        </div>
        <p className="layer-total" data-testid="editor-total" aria-live="polite">
          {described && !problem ? t.total(n(described.totalParams)) : ''}
        </p>
      </div>
    </section>
  );
}

/** The settings of one layer, by type. */
function LayerFields({
  spec,
  name,
  onChange,
  onValidity,
}: {
  spec: LayerSpec;
  name(field: string): string;
  onChange(spec: LayerSpec): void;
  onValidity: ValidityListener;
}) {
  const t = useT().training.layers;
  const common = { compact: true, onValidity };
  switch (spec.type) {
    case 'conv2d': {
      const padding: PaddingSpec = spec.padding ?? 'valid';
      const paddingMode = typeof padding === 'number' ? 'pixels' : padding;
      return (
        <>
          <NumberField
            {...common}
            name={name('filters')}
            label={t.filters}
            value={spec.filters}
            limit={LAYER_LIMITS.filters}
            onChange={(filters) => onChange({ ...spec, filters })}
          />
          <SquareField
            {...common}
            name={name('kernel')}
            label={t.kernel}
            value={spec.kernelSize}
            limit={LAYER_LIMITS.kernel}
            onChange={(kernelSize) => onChange({ ...spec, kernelSize })}
          />
          <SquareField
            {...common}
            name={name('stride')}
            label={t.stride}
            value={spec.stride ?? 1}
            limit={LAYER_LIMITS.stride}
            onChange={(stride) => onChange({ ...spec, stride })}
          />
          <SelectField
            compact
            label={t.padding}
            value={paddingMode}
            options={[
              { value: 'same', label: t.paddingSame },
              { value: 'valid', label: t.paddingValid },
              { value: 'pixels', label: t.paddingPixels },
            ]}
            onChange={(mode) => onChange({ ...spec, padding: mode === 'pixels' ? 1 : mode })}
          />
          {typeof padding === 'number' && (
            <NumberField
              {...common}
              name={name('padding')}
              label={t.paddingAmount}
              value={padding}
              limit={LAYER_LIMITS.padding}
              onChange={(px) => onChange({ ...spec, padding: px })}
            />
          )}
        </>
      );
    }
    case 'maxPool2d':
    case 'avgPool2d':
      return (
        <>
          <SquareField
            {...common}
            name={name('size')}
            label={t.size}
            value={spec.size}
            limit={LAYER_LIMITS.poolSize}
            onChange={(size) => onChange({ ...spec, size })}
          />
          <SquareField
            {...common}
            name={name('stride')}
            label={t.stride}
            value={spec.stride ?? spec.size}
            limit={LAYER_LIMITS.stride}
            onChange={(stride) => onChange({ ...spec, stride })}
          />
        </>
      );
    case 'dense':
      return (
        <NumberField
          {...common}
          name={name('units')}
          label={t.units}
          value={spec.units}
          limit={LAYER_LIMITS.units}
          onChange={(units) => onChange({ ...spec, units })}
        />
      );
    case 'dropout':
      return (
        <NumberField
          {...common}
          name={name('rate')}
          label={t.rate}
          value={spec.rate}
          limit={LAYER_LIMITS.rate}
          onChange={(rate) => onChange({ ...spec, rate })}
        />
      );
    case 'leakyRelu':
      return (
        <NumberField
          {...common}
          name={name('alpha')}
          label={t.alpha}
          value={spec.alpha ?? 0.01}
          limit={LAYER_LIMITS.rate}
          onChange={(alpha) => onChange({ ...spec, alpha })}
        />
      );
    default:
      return null;
  }
}

/** A square size (kernel, window, stride) as one number; a non-square [h, w] from a preset is shown, not edited. */
function SquareField({
  value,
  onChange,
  ...props
}: Omit<Parameters<typeof NumberField>[0], 'value' | 'onChange'> & {
  value: number | [number, number];
  onChange(value: number): void;
}) {
  if (Array.isArray(value)) {
    return (
      <div className="train-field compact">
        <span className="train-field-label">{props.label}</span>
        <span className="train-field-static">
          {value[0]}×{value[1]}
        </span>
      </div>
    );
  }
  return <NumberField {...props} value={value} onChange={onChange} />;
}
