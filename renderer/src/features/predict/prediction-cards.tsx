import type { LabelInfo } from '../../../../app/domain/dataset';
import type { PredictionItem } from '../../../../app/domain/prediction';
import { useT } from '../../i18n/i18n';
import { useNumberFormats } from '../evaluate/use-evaluation';
import { FeedbackControl } from './feedback-control';
import { PredictionVisual, type OverlaySettings } from './prediction-visual';
import type { Explanation } from './use-explanations';
import type { Feedback } from './use-feedback';
import { ClassBars } from '../../components/class-bars';

export interface CardActions {
  explanations: ReadonlyMap<string, Explanation>;
  feedback: ReadonlyMap<string, Feedback>;
  labels: readonly LabelInfo[];
  overlay: OverlaySettings;
  onExplain(file: string, label: string): void;
  onFeedback(file: string, label: string): void;
}

/** A card per image of a small batch, in the order the files were found. */
export function PredictionCards({
  items,
  actions,
}: {
  items: readonly PredictionItem[];
  actions: CardActions;
}) {
  const t = useT().predict.cards;
  const ordered = [...items].sort((a, b) => a.index - b.index);
  return (
    <ul className="pred-cards" aria-label={t.label}>
      {ordered.map((item) => (
        <PredictionCard key={item.index} item={item} actions={actions} />
      ))}
    </ul>
  );
}

function PredictionCard({ item, actions }: { item: PredictionItem; actions: CardActions }) {
  const t = useT().predict;
  const { percent } = useNumberFormats();
  if (!item.ok) {
    return (
      <li className="card pred-card failed" aria-label={item.name} data-file={item.file}>
        <div className="pred-visual pred-visual-empty failed" aria-hidden="true" />
        <div className="pred-card-body">
          <h3 className="pred-card-name" title={item.file}>
            {item.name}
          </h3>
          <p className="pred-card-reason" data-code={item.code}>
            {t.failures[item.code]}
          </p>
          <p className="pred-card-detail">{item.detail}</p>
        </div>
      </li>
    );
  }
  const explanation = actions.explanations.get(item.file);
  const explained = explanation?.loading
    ? (explanation.asked ?? item.top[0]?.label)
    : (explanation?.data?.heatmap.label ?? null);
  const predicted = item.top[0]?.label ?? '';
  return (
    <li className="card pred-card" aria-label={item.name} data-file={item.file}>
      <PredictionVisual name={item.name} explanation={explanation} overlay={actions.overlay} />
      <div className="pred-card-body">
        <h3 className="pred-card-name" title={item.file}>
          {item.name}
        </h3>
        <ClassBars
          classes={item.top}
          selected={explained}
          onSelect={(label) => actions.onExplain(item.file, label)}
          label={t.cards.chipHint}
          percent={percent}
          buttonLabel={t.cards.classButton}
          title={() => t.cards.chipHint}
        />
        <FeedbackControl
          name={item.name}
          predicted={predicted}
          labels={actions.labels}
          feedback={actions.feedback.get(item.file)}
          onSend={(label) => actions.onFeedback(item.file, label)}
        />
      </div>
    </li>
  );
}
