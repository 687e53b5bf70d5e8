import { useEffect, useRef, useState } from 'react';
import { desktop } from '../../bridge/desktop';

/** A possible bulk variant of the contract's `files.pathForFile` (not provided today; harmless when absent). */
interface BulkFilesBridge {
  files?: { pathsForDrop?: (files: File[]) => string[] | Promise<string[]> };
}

/**
 * Local paths of dropped files and folders. In Electron (32+) a dropped File reveals its path only through
 * `webUtils.getPathForFile`, which the preload exposes as `desktop.files.pathForFile` (see app/ipc/contract.ts);
 * a bulk `files.pathsForDrop` is used if a preload offers one; else the legacy `File.path` (older Electron, and
 * the e2e tests, which define it on the File objects they drop). Files without a path are left out.
 */
export async function pathsForDrop(files: File[]): Promise<string[]> {
  if (files.length === 0) return [];
  const api = desktop();
  const legacy = (file: File) => (file as File & { path?: unknown }).path;
  let paths: unknown[] = [];
  try {
    const perFile = api.files?.pathForFile;
    const bulk = (api as unknown as BulkFilesBridge).files?.pathsForDrop;
    if (typeof perFile === 'function') paths = files.map((file) => perFile(file));
    else if (typeof bulk === 'function') paths = await bulk(files);
  } catch {
    paths = [];
  }
  paths = files.map((file, i) => (typeof paths[i] === 'string' && paths[i] ? paths[i] : legacy(file)));
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0);
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Accepts files and folders dropped anywhere on the window while mounted (and keeps the browser from opening a
 * dropped file); `dragging` is true while a drag with files is over it. `onDrop` gets the dropped File objects and
 * the drop event's time (`performance.now()` timeline), from which the Predict view measures drop → bars.
 */
export function useWindowDrop(onDrop: (files: File[], at: number) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef(onDrop);
  useEffect(() => {
    latest.current = onDrop;
  });
  useEffect(() => {
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
      if (files.length > 0) latest.current(files, event.timeStamp);
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
  }, []);
  return dragging;
}
