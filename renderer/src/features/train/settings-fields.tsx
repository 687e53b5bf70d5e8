import { useEffect, useId, useState, type ReactNode } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { parseNumber, type NumberLimit } from './settings-limits';

/** Reports a field's validity to the form (keyed by `name`), so Train waits until every field is valid. */
export type ValidityListener = (name: string, invalid: boolean) => void;

/** The text a number shows in an input. */
export function numberText(value: number): string {
  return String(value);
}

/**
 * A number input that keeps what the user types (so "0." or an empty box can be on the way to a valid value),
 * commits only valid numbers, marks an invalid one (aria-invalid plus a message) and tells the form.
 */
export function NumberField({
  name,
  label,
  value,
  limit,
  onChange,
  onValidity,
  hint,
  compact = false,
  disabled = false,
  className,
}: {
  name: string;
  label: string;
  value: number;
  limit: NumberLimit;
  onChange(value: number): void;
  onValidity?: ValidityListener;
  hint?: ReactNode;
  /** Label above a narrow input, for the layer editor's rows. */
  compact?: boolean;
  disabled?: boolean;
  className?: string;
}) {
  const t = useT().training.settings;
  const { locale } = useLocale();
  const id = useId();
  const [text, setText] = useState(() => numberText(value));
  const [shown, setShown] = useState(value);
  // The value changed from outside (reset, a preset): show it, unless the text already means it.
  if (value !== shown) {
    setShown(value);
    if (parseNumber(text, limit) !== value) setText(numberText(value));
  }
  const bad = parseNumber(text, limit) === null;
  useEffect(() => {
    onValidity?.(name, bad);
  }, [name, bad, onValidity]);
  useEffect(() => () => onValidity?.(name, false), [name, onValidity]);

  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  const range = (limit.integer ? t.outOfRangeWhole : t.outOfRange)(
    format.format(limit.min),
    format.format(limit.max),
  );
  const describedBy = [bad ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className={`train-field${compact ? ' compact' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={limit.integer ? 'numeric' : 'decimal'}
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={disabled}
        aria-invalid={bad}
        aria-describedby={describedBy || undefined}
        data-field={name}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseNumber(e.target.value, limit);
          if (parsed !== null && parsed !== value) {
            setShown(parsed);
            onChange(parsed);
          }
        }}
        onBlur={() => {
          if (!bad && text !== numberText(value)) setText(numberText(value));
        }}
      />
      {hint && !bad && (
        <span className="train-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {bad && (
        <span className="train-field-error" id={`${id}-error`}>
          {range}
        </span>
      )}
    </div>
  );
}

/** A labelled select over a fixed set of options. */
export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  hint,
  compact = false,
  wide = false,
  disabled = false,
}: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
  hint?: ReactNode;
  compact?: boolean;
  /** Spans the whole row of a settings grid. */
  wide?: boolean;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className={`train-field${compact ? ' compact' : ''}${wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <span className="train-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
