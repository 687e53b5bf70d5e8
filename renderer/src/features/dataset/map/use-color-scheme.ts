import { useEffect, useState } from 'react';

const DARK = '(prefers-color-scheme: dark)';

/** The OS colour scheme, following changes (the canvas reads its colours from CSS and must redraw). */
export function useColorScheme(): 'light' | 'dark' {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const listener = () => setDark(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return dark ? 'dark' : 'light';
}
