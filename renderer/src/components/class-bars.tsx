import type { ClassProbability } from '../../../app/domain/prediction';

/**
 * A model's classes as probability bars, best first (Predict's cards, Look inside's classifier). Each bar is a
 * button: clicking it selects that class (both views then show its Grad-CAM); the selected one is pressed.
 */
export function ClassBars({
  classes,
  selected,
  onSelect,
  label,
  percent,
  buttonLabel,
  title,
}: {
  classes: ClassProbability[];
  selected: string | null;
  onSelect(label: string): void;
  /** The list's accessible name. */
  label: string;
  percent(probability: number): string;
  /** A bar button's accessible name (default: its visible text). */
  buttonLabel?(label: string, percent: string): string;
  title?(label: string): string;
}) {
  return (
    <ol className="class-bars" aria-label={label}>
      {classes.map((c, rank) => (
        <li key={c.label}>
          <button
            type="button"
            className={`class-bar${rank === 0 ? ' top' : ''}`}
            aria-pressed={selected === c.label}
            aria-label={buttonLabel?.(c.label, percent(c.probability))}
            title={title?.(c.label)}
            onClick={() => onSelect(c.label)}
          >
            <span className="class-bar-label">{c.label}</span>
            <ProbabilityTrack probability={c.probability} />
            <span className="class-bar-value">{percent(c.probability)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** One probability as a filled track (also the results table's confidence column). */
export function ProbabilityTrack({ probability }: { probability: number }) {
  return (
    <span className="class-bar-track">
      <span className="class-bar-fill" style={{ width: `${Math.max(0, Math.min(1, probability)) * 100}%` }} />
    </span>
  );
}
