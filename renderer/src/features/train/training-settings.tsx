import { useId, type ReactNode } from 'react';
import { MODEL_PRESETS, type ModelPresetName } from '../../../../app/domain/model-description';
import { LR_SCHEDULES, OPTIMIZERS, type TrainingDefaults } from '../../../../app/domain/training';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import { AugmentPreview } from './augment-preview';
import { LayerEditor } from './layer-editor';
import { useNumbers } from './network-view';
import { NumberField, SelectField } from './settings-fields';
import { RUN_NAME_MAX, SETTING_LIMITS } from './settings-limits';
import { StartFromField } from './start-from';
import type { SettingsController, SettingsDraft } from './use-training-settings';

/** A titled group of settings. */
function Card({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`card train-card${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <h3 className="train-card-title" id={id}>
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * The settings of the next run: the network (a preset or the layer editor), the optimizer and schedule, early
 * stopping, seed and threads, augmentation with a preview on the user's images, and the classes that will be
 * trained. Edits are kept per project in this window; main remembers the settings a run started with.
 */
export function TrainingSettingsView({
  projectId,
  settings,
  dataVersion,
  onShowNetwork,
}: {
  projectId: string;
  settings: SettingsController;
  dataVersion: number;
  onShowNetwork(): void;
}) {
  const messages = useT();
  const t = messages.training.settings;
  const { draft, defaults, presets } = settings;
  if (settings.loadError && !draft) {
    return (
      <RetryableError
        error={settings.loadError}
        context={t.loadFailed}
        retryLabel={t.retry}
        onRetry={settings.retry}
      />
    );
  }
  if (!draft || !defaults || !presets) {
    return (
      <p className="train-hint" role="status">
        {t.loading}
      </p>
    );
  }
  return (
    <form className="train-settings" aria-label={t.label} onSubmit={(e) => e.preventDefault()}>
      <NetworkCard settings={settings} draft={draft} onShowNetwork={onShowNetwork} />
      <div className="train-settings-main">
        <div className="train-settings-pair">
          <OptimizerCard settings={settings} draft={draft} />
          <ScheduleCard settings={settings} draft={draft} />
        </div>
        <AugmentationCard settings={settings} draft={draft} projectId={projectId} dataVersion={dataVersion} />
      </div>
      <div className="train-settings-side">
        <ClassesCard defaults={defaults} />
        <RunCard settings={settings} draft={draft} cores={defaults.cores} projectId={projectId} />
      </div>
    </form>
  );
}

type CardProps = { settings: SettingsController; draft: SettingsDraft };

function NetworkCard({ settings, draft, onShowNetwork }: CardProps & { onShowNetwork(): void }) {
  const messages = useT();
  const t = messages.training.settings;
  const tn = messages.network;
  const { n } = useNumbers();
  const presets = settings.presets;
  const value: ModelPresetName | 'custom' = draft.kind === 'custom' ? 'custom' : draft.preset;
  const hintId = useId();
  const total = settings.description?.description.totalParams;
  return (
    <Card title={t.model} className="train-network-card">
      <div className="train-row">
        <SelectField
          label={t.modelKind}
          value={value}
          options={[
            ...MODEL_PRESETS.map((p) => ({
              value: p,
              label:
                presets?.recommended === p
                  ? `${tn.presets[p].title} · ${tn.recommended}`
                  : tn.presets[p].title,
            })),
            { value: 'custom' as const, label: t.custom },
          ]}
          onChange={(v) => (v === 'custom' ? settings.chooseCustom() : settings.choosePreset(v))}
        />
        {draft.kind === 'preset' && (
          <p className="train-network-total" aria-live="polite" data-testid="settings-total">
            {settings.describing || total === undefined ? t.describing : t.totalParams(n(total))}
          </p>
        )}
      </div>
      {draft.kind === 'preset' ? (
        <>
          <p className="train-hint" id={hintId}>
            {tn.presets[draft.preset].description}
          </p>
          <ErrorMessage error={settings.describeError} context={tn.loadFailed} />
          <div className="train-actions">
            <button
              type="button"
              className="button small"
              aria-describedby={`${hintId}-customize`}
              onClick={() => settings.chooseCustom(true)}
            >
              {t.customize}
            </button>
            <button type="button" className="button small" onClick={onShowNetwork}>
              {t.seeNetwork}
            </button>
          </div>
          <p className="visually-hidden" id={`${hintId}-customize`}>
            {t.customizeHint}
          </p>
        </>
      ) : (
        <LayerEditor
          layers={draft.layers}
          onChange={settings.setLayers}
          description={settings.description}
          describing={settings.describing}
          problem={settings.problem}
          describeError={settings.describeError}
          onValidity={settings.setInvalid}
        />
      )}
    </Card>
  );
}

function ClassesCard({ defaults }: { defaults: TrainingDefaults }) {
  const t = useT().training.classes;
  const { classNames, leftOutLabels } = defaults;
  return (
    <Card title={t.heading} className="train-classes">
      {classNames.length < 2 ? (
        <p className="train-callout danger" role="alert" data-testid="too-few-classes">
          {t.tooFew}
        </p>
      ) : (
        <>
          <p className="train-hint">{t.trained(classNames.length)}</p>
          <ul className="train-chips" aria-label={t.trained(classNames.length)}>
            {classNames.map((c) => (
              <li key={c} className="chip">
                {c}
              </li>
            ))}
          </ul>
        </>
      )}
      {leftOutLabels.length > 0 && (
        <div className="train-callout warning" data-testid="left-out">
          <p>{t.leftOut(leftOutLabels.length)}</p>
          <ul className="train-chips">
            {leftOutLabels.map((c) => (
              <li key={c} className="chip">
                {c}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

function OptimizerCard({ settings, draft }: CardProps) {
  const t = useT().training.settings;
  const s = draft.settings;
  const v = settings.setInvalid;
  return (
    <Card title={t.training}>
      <div className="train-grid">
        <NumberField
          name="epochs"
          label={t.epochs}
          hint={t.epochsHint}
          value={s.epochs}
          limit={SETTING_LIMITS.epochs}
          onValidity={v}
          onChange={(epochs) => settings.update({ epochs })}
        />
        <NumberField
          name="batchSize"
          label={t.batchSize}
          hint={t.batchSizeHint}
          value={s.batchSize}
          limit={SETTING_LIMITS.batchSize}
          onValidity={v}
          onChange={(batchSize) => settings.update({ batchSize })}
        />
        <SelectField
          label={t.optimizer}
          value={s.optimizer}
          options={OPTIMIZERS.map((o) => ({ value: o, label: t.optimizers[o] }))}
          onChange={(optimizer) => settings.update({ optimizer })}
        />
        <NumberField
          name="learningRate"
          label={t.learningRate}
          value={s.learningRate}
          limit={SETTING_LIMITS.learningRate}
          onValidity={v}
          onChange={(learningRate) => settings.update({ learningRate })}
        />
        {s.optimizer === 'sgd' && (
          <NumberField
            name="momentum"
            label={t.momentum}
            value={s.momentum}
            limit={SETTING_LIMITS.momentum}
            onValidity={v}
            onChange={(momentum) => settings.update({ momentum })}
          />
        )}
        <NumberField
          name="weightDecay"
          label={t.weightDecay}
          value={s.weightDecay}
          limit={SETTING_LIMITS.weightDecay}
          onValidity={v}
          onChange={(weightDecay) => settings.update({ weightDecay })}
        />
      </div>
    </Card>
  );
}

function ScheduleCard({ settings, draft }: CardProps) {
  const t = useT().training.settings;
  const s = draft.settings;
  const v = settings.setInvalid;
  return (
    <Card title={t.schedule}>
      <div className="train-grid single">
        <SelectField
          label={t.scheduleKind}
          value={s.schedule}
          options={LR_SCHEDULES.map((o) => ({ value: o, label: t.schedules[o] }))}
          hint={t.scheduleHints[s.schedule]}
          onChange={(schedule) => settings.update({ schedule })}
        />
        <NumberField
          name="warmupEpochs"
          label={t.warmup}
          hint={t.warmupHint}
          value={s.warmupEpochs}
          limit={SETTING_LIMITS.warmupEpochs}
          onValidity={v}
          onChange={(warmupEpochs) => settings.update({ warmupEpochs })}
        />
        {s.schedule === 'step' && (
          <>
            <NumberField
              name="stepEvery"
              label={t.stepEvery}
              value={s.stepEvery}
              limit={SETTING_LIMITS.stepEvery}
              onValidity={v}
              onChange={(stepEvery) => settings.update({ stepEvery })}
            />
            <NumberField
              name="stepGamma"
              label={t.stepGamma}
              value={s.stepGamma}
              limit={SETTING_LIMITS.stepGamma}
              onValidity={v}
              onChange={(stepGamma) => settings.update({ stepGamma })}
            />
          </>
        )}
      </div>
    </Card>
  );
}

function RunCard({ settings, draft, cores, projectId }: CardProps & { cores: number; projectId: string }) {
  const t = useT().training.settings;
  const s = draft.settings;
  const v = settings.setInvalid;
  const nameId = useId();
  const workerOptions = [
    { value: 'all', label: t.workersAll(cores) },
    ...Array.from({ length: cores }, (_, i) => cores - i).map((count) => ({
      value: String(count),
      label: count === cores - 1 ? t.workersLeaveOne(count) : t.workersCount(count),
    })),
  ];
  // A remembered worker count above this computer's cores still shows (and trains) as itself.
  if (s.workers !== null && s.workers > cores)
    workerOptions.splice(1, 0, { value: String(s.workers), label: t.workersCount(s.workers) });
  return (
    <Card title={t.stopping}>
      <div className="train-grid">
        <StartFromField projectId={projectId} settings={settings} draft={draft} />
        <NumberField
          name="patience"
          label={t.patience}
          hint={t.patienceHint}
          value={s.patience}
          limit={SETTING_LIMITS.patience}
          onValidity={v}
          onChange={(patience) => settings.update({ patience })}
          className="wide"
        />
        <div className="train-seed wide">
          <NumberField
            name="seed"
            label={t.seed}
            hint={t.seedHint}
            value={s.seed}
            limit={SETTING_LIMITS.seed}
            onValidity={v}
            onChange={(seed) => settings.update({ seed })}
          />
          <button
            type="button"
            className="button small"
            onClick={() => settings.update({ seed: Math.floor(Math.random() * 1_000_000) + 1 })}
          >
            {t.newSeed}
          </button>
        </div>
        <SelectField
          wide
          label={t.workers}
          hint={t.workersHint}
          value={s.workers === null ? 'all' : String(s.workers)}
          options={workerOptions}
          onChange={(w) => settings.update({ workers: w === 'all' ? null : Number(w) })}
        />
        <div className="train-field wide">
          <label htmlFor={nameId}>{t.runName}</label>
          <input
            id={nameId}
            type="text"
            value={draft.name}
            maxLength={RUN_NAME_MAX}
            placeholder="run-…"
            aria-describedby={`${nameId}-hint`}
            onChange={(e) => settings.setName(e.target.value)}
          />
          <span className="train-hint" id={`${nameId}-hint`}>
            {t.runNameHint}
          </span>
        </div>
      </div>
      <div className="train-actions">
        <button type="button" className="button small" onClick={settings.reset} title={t.resetHint}>
          {t.reset}
        </button>
      </div>
    </Card>
  );
}

function AugmentationCard({
  settings,
  draft,
  projectId,
  dataVersion,
}: CardProps & { projectId: string; dataVersion: number }) {
  const t = useT().training.augment;
  const a = draft.settings.augmentation;
  const v = settings.setInvalid;
  const flipId = useId();
  return (
    <Card title={t.heading} className="train-augment">
      <p className="train-hint">{t.intro}</p>
      <div className="train-grid four">
        <div className="train-field checkbox">
          <input
            id={flipId}
            type="checkbox"
            checked={a.flip}
            onChange={(e) => settings.setAugmentation({ flip: e.target.checked })}
          />
          <label htmlFor={flipId}>{t.flip}</label>
        </div>
        <NumberField
          name="shift"
          label={t.shift}
          value={a.shift}
          limit={SETTING_LIMITS.shift}
          onValidity={v}
          onChange={(shift) => settings.setAugmentation({ shift })}
        />
        <NumberField
          name="brightness"
          label={t.brightness}
          value={a.brightness}
          limit={SETTING_LIMITS.brightness}
          onValidity={v}
          onChange={(brightness) => settings.setAugmentation({ brightness })}
        />
        <NumberField
          name="contrast"
          label={t.contrast}
          value={a.contrast}
          limit={SETTING_LIMITS.contrast}
          onValidity={v}
          onChange={(contrast) => settings.setAugmentation({ contrast })}
        />
      </div>
      <p className="train-hint">{t.amountsHint}</p>
      <AugmentPreview projectId={projectId} augmentation={a} dataVersion={dataVersion} />
    </Card>
  );
}
