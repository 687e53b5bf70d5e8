import { useEffect, useRef } from 'react';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Calls `onImage` with the first image of a paste (Ctrl/Cmd+V) anywhere on the window while mounted, except in a
 * text field or while a dialog is open; `onNoImage` when the paste held files but no image.
 */
export function usePastedImage(onImage: (file: File) => void, onNoImage: () => void): void {
  const latest = useRef({ onImage, onNoImage });
  useEffect(() => {
    latest.current = { onImage, onNoImage };
  });
  useEffect(() => {
    const paste = (event: ClipboardEvent) => {
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      const items = Array.from(event.clipboardData?.items ?? []);
      const image = items.find((i) => i.kind === 'file' && i.type.startsWith('image/'))?.getAsFile();
      if (image) {
        event.preventDefault();
        latest.current.onImage(image);
      } else if (items.some((i) => i.kind === 'file')) latest.current.onNoImage();
    };
    window.addEventListener('paste', paste);
    return () => window.removeEventListener('paste', paste);
  }, []);
}
