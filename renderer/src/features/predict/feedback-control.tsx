import type { LabelInfo } from '../../../../app/domain/dataset';
import { useT } from '../../i18n/i18n';
import { wordError } from '../dataset/wording/app-errors';
import type { Feedback } from './use-feedback';

/**
 * "Right" (adds the image to the dataset with the predicted label) and "Wrong → label" (with the label picked);
 * once sent, the outcome in words: added, already in the dataset (label set), or why it failed.
 */
export function FeedbackControl({
  name,
  predicted,
  labels,
  feedback,
  onSend,
  compact,
}: {
  name: string;
  predicted: string;
  labels: readonly LabelInfo[];
  feedback: Feedback | undefined;
  onSend(label: string): void;
  compact?: boolean;
}) {
  const messages = useT();
  const t = messages.predict.feedback;
  if (feedback?.status === 'adding') {
    return (
      <span className="pred-feedback-outcome" role="status">
        {t.adding}
      </span>
    );
  }
  if (feedback) {
    const text =
      feedback.status === 'error'
        ? t.failed(wordError(messages, feedback.error))
        : feedback.result.outcome === 'added'
          ? t.added(feedback.result.label)
          : feedback.result.outcome === 'duplicate'
            ? t.duplicate(feedback.result.label)
            : t.failed(feedback.result.reason ?? '');
    const ok = feedback.status === 'done' && feedback.result.outcome !== 'failed';
    return (
      <span
        className={`pred-feedback-outcome ${ok ? 'ok' : 'bad'}`}
        role="status"
        title={text}
        data-outcome={feedback.status === 'done' ? feedback.result.outcome : 'failed'}
      >
        {compact && !ok ? t.failedShort : text}
      </span>
    );
  }
  return (
    <span className={`pred-feedback${compact ? ' compact' : ''}`}>
      <button
        type="button"
        className="button small pred-right"
        title={t.rightHint(predicted)}
        aria-label={`${t.right}: ${name}`}
        onClick={() => onSend(predicted)}
      >
        {t.right}
      </button>
      <select
        className="select pred-wrong"
        value=""
        title={t.wrongHint}
        aria-label={`${t.wrongHint}: ${name}`}
        onChange={(event) => {
          if (event.target.value) onSend(event.target.value);
        }}
      >
        <option value="">{compact ? t.wrongShort : t.wrong}</option>
        {labels
          .filter((l) => l.name !== predicted)
          .map((l) => (
            <option key={l.id} value={l.name}>
              {l.name}
            </option>
          ))}
      </select>
    </span>
  );
}
