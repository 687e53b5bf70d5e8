import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

/** The languages the UI speaks. */
export const LOCALES = {
  en: { label: 'English', messages: en },
  'zh-CN': { label: '简体中文', messages: zhCN },
} as const satisfies Record<string, { label: string; messages: Messages }>;

/** A supported language tag. */
export type Locale = keyof typeof LOCALES;

const STORAGE_KEY = 'cnn-studio.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LOCALES, value);
}

/** Picks the best supported language for a list of BCP 47 tags (navigator.languages); English otherwise. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

function initialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage unavailable: fall back to the OS language
  }
  return pickLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

interface LocaleContextValue {
  locale: Locale;
  messages: Messages;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

/** Provides the current language to the tree and keeps <html lang> in step. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; still switches for this session
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(
    () => ({ locale, messages: LOCALES[locale].messages, setLocale }),
    [locale, setLocale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

/** The current language, its setter and its messages. */
export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale() outside <LocaleProvider>');
  return value;
}

/** The message dictionary of the current language: `const t = useT(); t.projects.heading`. */
export function useT(): Messages {
  return useLocale().messages;
}

/** Formats an ISO timestamp as a short local date and time in the current language. */
export function useFormatDate(): (iso: string) => string {
  const { locale } = useLocale();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return (iso: string) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    };
  }, [locale]);
}
