import { useEffect, useRef, useState } from 'react';
import { desktop } from '../../bridge/desktop';

/**
 * What the preload may add to `window.desktop` for drag and drop: in Electron (32+) a dropped File only reveals
 * its path through `webUtils.getPathForFile`, which the preload calls for us. Optional: older shells and the e2e
 * bridge do not have it.
 */
interface FilesBridge {
  files?: { pathsForDrop?: (files: File[]) => string[] | Promise<string[]> };
}

/**
 * Paths of dropped files and folders: the preload's `files.pathsForDrop` when present, else the legacy
 * `File.path` (older Electron; the e2e tests define it on the File objects they drop). Empty paths are left out.
 */
export async function pathsForDrop(files: File[]): Promise<string[]> {
  if (files.length === 0) return [];
  const bridge = desktop() as unknown as FilesBridge;
  let paths: string[] = [];
  const fromBridge = bridge.files?.pathsForDrop;
  if (typeof fromBridge === 'function') {
    try {
      paths = await fromBridge(files);
    } catch {
      paths = [];
    }
  }
  if (!paths.some(Boolean)) paths = files.map((file) => (file as File & { path?: unknown }).path as string);
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0);
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Accepts files and folders dropped anywhere on the window while mounted; shows `dragging` while a drag with
 * files is over it. `onDrop` gets the dropped File objects.
 */
export function useWindowDrop(onDrop: (files: File[]) => void, enabled: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef(onDrop);
  useEffect(() => {
    latest.current = onDrop;
  });
  useEffect(() => {
    if (!enabled) return;
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // allows the drop
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // never let the browser navigate to the file
      depth = 0;
      setDragging(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length > 0) latest.current(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
      setDragging(false);
    };
  }, [enabled]);
  return dragging;
}
