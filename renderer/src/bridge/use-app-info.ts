import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../app/domain/app-info';
import { call } from './desktop';

let infoPromise: Promise<AppInfo | null> | null = null;

/** `app:info` (version, data folder, media base URL, kernels), fetched once per page for every component. */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    infoPromise ??= call((api) => api.app.info({})).then((r) => {
      if (r.ok) return r.value;
      infoPromise = null; // try again next time
      return null;
    });
    void infoPromise.then((value) => live && setInfo(value));
    return () => {
      live = false;
    };
  }, []);
  return info;
}
