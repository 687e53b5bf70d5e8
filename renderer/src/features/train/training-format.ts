import { useMemo } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import type { TrainingMessages } from '../../i18n/training-en';

/** Seconds as "0.4 s", "42 s", "3 min 5 s" or "1 h 2 min" in the user's language (tenths below 10 s). */
export function formatDuration(seconds: number, t: TrainingMessages['duration']): string {
  const clamped = Math.max(0, seconds);
  if (clamped < 9.95) return t.seconds(Math.round(clamped * 10) / 10);
  const total = Math.round(clamped);
  if (total < 60) return t.seconds(total);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  if (h > 0) return t.hours(h, m);
  return t.minutes(m, total % 60);
}

/** Locale-aware formatters for the Train section's figures. */
export interface TrainingFormat {
  /** 0.9123 → "91.2%". */
  percent(x: number | null | undefined): string;
  /** A loss with four significant digits. */
  loss(x: number | null | undefined): string;
  /** A whole number with grouping. */
  int(x: number | null | undefined): string;
  /** A learning rate: "0.001", "3e-4" style when tiny. */
  rate(x: number | null | undefined): string;
  duration(seconds: number | null | undefined): string;
  date(iso: string | null): string;
}

const DASH = '—';

export function useTrainingFormat(): TrainingFormat {
  const { locale } = useLocale();
  const t = useT().training;
  return useMemo(() => {
    const percent = new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const loss = new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 });
    const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const rate = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 });
    const tiny = new Intl.NumberFormat(locale, { notation: 'scientific', maximumSignificantDigits: 3 });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);
    return {
      percent: (x) => (ok(x) ? percent.format(x) : DASH),
      loss: (x) => (ok(x) ? loss.format(x) : DASH),
      int: (x) => (ok(x) ? int.format(x) : DASH),
      rate: (x) =>
        ok(x) ? (x !== 0 && Math.abs(x) < 1e-3 ? tiny.format(x).replace('E', 'e') : rate.format(x)) : DASH,
      duration: (s) => (ok(s) ? formatDuration(s, t.duration) : DASH),
      date: (iso) => {
        if (!iso) return DASH;
        const d = new Date(iso);
        return Number.isNaN(d.getTime()) ? iso : date.format(d);
      },
    };
  }, [locale, t]);
}
