import { useId, useState, type FormEvent } from 'react';
import { PROJECT_LIMITS, type ColorMode, type ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';
import { inputSizeProblem, projectNameProblem, projectNameRefusal } from '../dataset/wording/form-errors';

/**
 * The "New project" form: name, square input size and gray/RGB. The fields are checked as the user types with the
 * limits main enforces (PROJECT_LIMITS, the name rules); main checks again and answers with a Result, worded under
 * the form, and the dialog stays open so the name can be fixed.
 */
export function CreateProjectDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(project: ProjectSummary): void;
}) {
  const t = useT();
  const [name, setName] = useState('');
  const [inputSize, setInputSize] = useState<string>(String(PROJECT_LIMITS.defaultInputSize));
  const [color, setColor] = useState<ColorMode>('gray');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState({ name: false, size: false });
  const ids = { name: useId(), nameError: useId(), size: useId(), sizeHint: useId(), error: useId() };
  // Problems as the user types: the name once it was edited, the size at once.
  const nameProblem = touched.name ? projectNameProblem(t, name) : null;
  const sizeProblem = inputSizeProblem(t, inputSize);
  // Main's refusal, worded: a name rule from the same checks, a duplicate name in its own sentence.
  const worded = projectNameRefusal(t, error, name);

  const reset = () => {
    setName('');
    setInputSize(String(PROJECT_LIMITS.defaultInputSize));
    setColor('gray');
    setError(null);
    setTouched({ name: false, size: false });
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    // An empty size field means "the default"; anything else goes to main as typed, which checks the range.
    const size = inputSize.trim() === '' ? undefined : Number(inputSize);
    const result = await call((api) => api.projects.create({ name, inputSize: size, color }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    reset();
    onCreated(result.value);
  };

  return (
    <Dialog open={open} title={t.create.title} onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t.create.name}</label>
          <input
            id={ids.name}
            name="name"
            type="text"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder={t.create.namePlaceholder}
            maxLength={PROJECT_LIMITS.nameMaxLength * 2}
            value={name}
            aria-invalid={
              nameProblem || error?.code === 'invalid-name' || error?.code === 'conflict' ? true : undefined
            }
            aria-describedby={nameProblem ? ids.nameError : error ? ids.error : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setTouched((v) => ({ ...v, name: true }));
              if (error?.code === 'invalid-name' || error?.code === 'conflict') setError(null);
            }}
          />
          {nameProblem && (
            <p className="field-error" id={ids.nameError}>
              {nameProblem}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.size}>{t.create.inputSize}</label>
          <div className="input-with-unit">
            <input
              id={ids.size}
              name="inputSize"
              type="number"
              inputMode="numeric"
              min={PROJECT_LIMITS.minInputSize}
              max={PROJECT_LIMITS.maxInputSize}
              step={1}
              value={inputSize}
              aria-invalid={sizeProblem || error?.code === 'invalid-payload' ? true : undefined}
              aria-describedby={sizeProblem ? `${ids.sizeHint} ${ids.size}-error` : ids.sizeHint}
              onChange={(e) => {
                setInputSize(e.target.value);
                if (error?.code === 'invalid-payload') setError(null);
              }}
            />
            <span className="unit">px</span>
          </div>
          {sizeProblem && (
            <p className="field-error" id={`${ids.size}-error`}>
              {sizeProblem}
            </p>
          )}
          <p className="hint" id={ids.sizeHint}>
            {t.create.inputSizeHint(PROJECT_LIMITS.minInputSize, PROJECT_LIMITS.maxInputSize)}
          </p>
        </div>
        <fieldset className="field choice-group">
          <legend>{t.create.color}</legend>
          {(['gray', 'rgb'] as const).map((mode) => (
            <label key={mode} className="choice">
              <input
                type="radio"
                name="color"
                value={mode}
                checked={color === mode}
                onChange={() => setColor(mode)}
              />
              <span className="choice-text">
                <span className="choice-title">{mode === 'gray' ? t.create.gray : t.create.rgb}</span>
                <span className="hint">{mode === 'gray' ? t.create.grayHint : t.create.rgbHint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={error} context={t.create.failed} id={ids.error} worded={worded} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            {t.create.cancel}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t.create.submit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
