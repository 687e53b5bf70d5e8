import { useEffect, useState } from 'react';
import { desktop, hasDesktop } from '../../bridge/desktop';

/**
 * Model files the operating system asked the app to open (`app:openModelFile`: a double-clicked `.cnnmodel`).
 * Main sends them once the page has loaded, possibly before any React effect subscribed, so the page listens
 * from startup (listenForOpenedModelFiles in main.tsx) and keeps them until an open project takes them.
 */
const pending: string[] = [];
const listeners = new Set<() => void>();

export function listenForOpenedModelFiles(): void {
  if (!hasDesktop()) return;
  desktop().on('app:openModelFile', ({ file }) => {
    pending.push(file);
    for (const l of listeners) l();
  });
}

/** The oldest model file waiting to be opened, and `take` to remove it once handled. */
export function useOpenedModelFile(): { file: string | null; take(): void } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const changed = () => setVersion((v) => v + 1);
    listeners.add(changed);
    return () => void listeners.delete(changed);
  }, []);
  return {
    file: pending[0] ?? null,
    take: () => {
      pending.shift();
      setVersion((v) => v + 1);
    },
  };
}
