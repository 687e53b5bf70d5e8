import { useMemo } from 'react';
import type { InspectModel, Inspection } from '../../../../app/domain/inspect';
import { useT } from '../../i18n/i18n';
import { fitScale } from './atlas';
import { AtlasCanvas } from './atlas-canvas';
import { ClassifierSection, SharingSection } from './classifier-section';
import { Experiments } from './experiments';
import { FiltersSection } from './filters-section';
import { MapsSection } from './maps-section';
import { receptiveFields } from './receptive-field';
import { SaliencySection } from './saliency-section';
import { toInspectSource, type InsideSource, type RunNetwork } from './use-inspection';

/** The input as the network sees it, with how long the computation took. */
function InputCard({ inspection }: { inspection: Inspection }) {
  const t = useT().inside;
  const { input } = inspection;
  const [c, h, w] = [input.channels, input.tileHeight, input.tileWidth];
  return (
    <section className="inside-card inside-input" aria-labelledby="inside-input">
      <h3 className="inside-heading" id="inside-input">
        {t.input.heading}
      </h3>
      <AtlasCanvas
        atlas={input}
        scale={fitScale(w, h, 160)}
        label={t.input.alt}
        className="inside-input-canvas"
      />
      <span className="inside-shape">{t.maps.shape(c, h, w)}</span>
      <p className="inside-text">{t.input.body}</p>
      <p className="inside-muted">{t.millis(inspection.millis.toFixed(0))}</p>
    </section>
  );
}

/** Every section of Look inside for one answer of `inspect:image`. */
export function InsideSections({
  projectId,
  model,
  source,
  inspection,
  loading,
  network,
  onLabel,
}: {
  projectId: string;
  model: InspectModel;
  source: InsideSource;
  inspection: Inspection;
  loading: boolean;
  network: RunNetwork | null;
  onLabel(label: string): void;
}) {
  const fields = useMemo(
    () =>
      network
        ? receptiveFields(network.network.layers.map((l) => ({ type: l.spec.type, geometry: l.geometry })))
        : null,
    [network],
  );
  const inspectSource = useMemo(() => toInspectSource(source), [source]);
  return (
    <div className={`inside-sections${loading ? ' loading' : ''}`} data-testid="inside-sections">
      <div className="inside-row">
        <InputCard inspection={inspection} />
        <SaliencySection inspection={inspection} onLabel={onLabel} />
        <ClassifierSection inspection={inspection} label={inspection.heatmap.label} onLabel={onLabel} />
      </div>
      <FiltersSection filters={inspection.filters} />
      <MapsSection inspection={inspection} fields={fields} />
      {network && <SharingSection description={network.detail.description} />}
      {network && (
        <Experiments
          projectId={projectId}
          model={model}
          source={inspectSource}
          inspection={inspection}
          layers={network.network.layers}
        />
      )}
    </div>
  );
}
