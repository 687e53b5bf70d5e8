import type { PredictionModelInfo } from '../../../../app/domain/prediction';
import type { AppError } from '../../../../app/ipc/result';
import { useT } from '../../i18n/i18n';
import { fileName, type PredictWith } from './model-choice';

/** What a model file the user opened is (its classes and input), or why it cannot predict. Runs need no line. */
export function ModelFileStatus({
  choice,
  model,
}: {
  choice: PredictWith;
  model: { info: PredictionModelInfo | null; error: AppError | null };
}) {
  const t = useT().predict.modelFileStatus;
  if (!('modelFile' in choice)) return null;
  const name = fileName(choice.modelFile);
  if (model.error) {
    const code = (model.error.details as { code?: string } | undefined)?.code;
    const reason = code === 'model-file-missing' ? t.missing : code === 'bad-model-file' ? t.bad : t.failed;
    return (
      <p className="pred-note pred-model-file error" role="alert" data-testid="model-file-status">
        {reason(name)}
      </p>
    );
  }
  if (!model.info) {
    return (
      <p className="pred-note pred-model-file" role="status" data-testid="model-file-status">
        {t.loading(name)}
      </p>
    );
  }
  const { labels, inputSize, color } = model.info;
  return (
    <p
      className="pred-note pred-model-file"
      role="status"
      data-testid="model-file-status"
      title={choice.modelFile}
    >
      {t.ready(name, labels.length, inputSize, color === 'rgb' ? t.rgb : t.gray)} {labels.join(', ')}
    </p>
  );
}
