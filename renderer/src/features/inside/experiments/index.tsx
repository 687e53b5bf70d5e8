/**
 * The experiments of "Look inside" (issue 10), rendered in a slot of HB's view: stride and padding, max pooling,
 * translation invariance and the filter playground, all on the user's model and image.
 */
import type { InspectModel, InspectSource, Inspection } from '../../../../../app/domain/inspect';
import type { NetworkLayerInfo } from '../../../../../app/domain/model-description';
import { useT } from '../../../i18n/i18n';
import { PlaygroundSection } from './playground-section';
import { PoolingSection } from './pooling-section';
import { ShiftSection } from './shift-section';
import { StrideSection } from './stride-section';
import './experiments.css';

/** Stride/padding, pooling, translation and the filter playground for one inspected image. */
export function Experiments(props: {
  projectId: string;
  model: InspectModel;
  source: InspectSource;
  inspection: Inspection;
  layers: NetworkLayerInfo[];
}) {
  const t = useT().inside.experiments;
  const { inspection, layers } = props;
  return (
    <div className="inside-experiments" data-testid="inside-experiments">
      <h2>{t.heading}</h2>
      <StrideSection inspection={inspection} layers={layers} t={t} />
      <PoolingSection inspection={inspection} layers={layers} t={t} />
      <ShiftSection {...props} t={t} />
      <PlaygroundSection {...props} t={t} />
    </div>
  );
}
