import type { ModelPresetName } from '../../../../app/domain/model-description';
import { RetryableError } from '../../components/error-message';
import { ChartIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { LayerList, PresetPicker, SharingPanel, TotalsPanel } from './network-view';
import { useNetwork } from './use-model-description';

/**
 * The network explorer (the Train section's Network view): a preset built for this project, layer by layer, with
 * its parameters and what parameter sharing saves, and a button that makes it the network of the next run.
 */
export function NetworkExplorer({
  projectId,
  trainingPreset,
  onUse,
}: {
  projectId: string;
  /** The preset the training settings use (null when they use custom layers). */
  trainingPreset: ModelPresetName | null;
  onUse(preset: ModelPresetName): void;
}) {
  const t = useT();
  const tn = t.network;
  const state = useNetwork(projectId);
  const { description } = state;
  const shownPreset = description && description.preset !== 'custom' ? description.preset : null;
  const inUse = shownPreset !== null && shownPreset === trainingPreset;
  return (
    <div className="network" aria-busy={state.loading}>
      <header className="network-header">
        <h2 className="network-title">{tn.title}</h2>
        <p className="network-intro">{tn.intro}</p>
      </header>
      {state.presets && (
        <PresetPicker t={tn} list={state.presets} value={state.preset} onChange={state.choose} />
      )}
      {state.error && (
        <RetryableError
          error={state.error}
          context={tn.loadFailed}
          retryLabel={tn.retry}
          onRetry={state.retry}
        />
      )}
      {!description && !state.error && (
        <p className="network-loading" role="status">
          {tn.loading}
        </p>
      )}
      {description && (
        <div className="network-body">
          <section className="network-layers" aria-labelledby="network-layers-heading">
            <h3 className="network-subheading" id="network-layers-heading">
              {tn.layersHeading}
              <span className="network-preset-name">
                {shownPreset ? tn.presets[shownPreset].title : tn.custom}
              </span>
            </h3>
            <LayerList t={tn} network={description} />
          </section>
          <aside className="network-side">
            <TotalsPanel t={tn} network={description} />
            <SharingPanel t={tn} network={description} />
            <section className="card network-curves" aria-labelledby="network-curves">
              <div className="network-curves-icon" aria-hidden="true">
                <ChartIcon width={22} height={22} />
              </div>
              <h3 className="network-subheading" id="network-curves">
                {tn.training.heading}
              </h3>
              <p className="network-card-text">{inUse ? tn.training.inUse : tn.training.body}</p>
              {!inUse && shownPreset && (
                <button
                  type="button"
                  className="button small primary network-use"
                  onClick={() => onUse(shownPreset)}
                >
                  {tn.training.use}
                </button>
              )}
            </section>
          </aside>
        </div>
      )}
    </div>
  );
}
