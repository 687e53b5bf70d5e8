import type { ProjectSummary } from '../../../../app/domain/project';
import { ErrorMessage } from '../../components/error-message';
import { ChartIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import './network.css';
import { LayerList, PresetPicker, SharingPanel, TotalsPanel } from './network-view';
import { useNetwork } from './use-network';

/**
 * The Train section. For now the network explorer: the chosen preset built for this project, layer by layer,
 * with its parameters and what parameter sharing saves. Training itself (and its curves) comes with the
 * training feature; the curves panel says so.
 */
export function TrainSection({ project }: { project: ProjectSummary }) {
  return <NetworkExplorer key={project.id} projectId={project.id} />;
}

function NetworkExplorer({ projectId }: { projectId: string }) {
  const t = useT();
  const tn = t.network;
  const state = useNetwork(projectId);
  const { description } = state;
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
        <div className="network-error">
          <ErrorMessage error={state.error} context={tn.loadFailed} />
          <button type="button" className="button small" onClick={state.retry}>
            {tn.retry}
          </button>
        </div>
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
              <span className="network-preset-name">{tn.presets[description.preset].title}</span>
            </h3>
            <LayerList t={tn} network={description} />
          </section>
          <aside className="network-side">
            <TotalsPanel t={tn} network={description} />
            <SharingPanel t={tn} network={description} />
            <section className="network-card network-curves" aria-labelledby="network-curves">
              <div className="network-curves-icon" aria-hidden="true">
                <ChartIcon width={22} height={22} />
              </div>
              <h3 className="network-subheading" id="network-curves">
                {tn.training.heading}
              </h3>
              <p className="network-card-text">{tn.training.body}</p>
            </section>
          </aside>
        </div>
      )}
    </div>
  );
}
