/** Facts about the running backend that the UI needs once at start. */
export interface AppInfo {
  version: string;
  dataDir: string;
  /** Base URL under which project media (thumbnails, originals) are served: `${base}/${projectId}/thumb/${sha}`. */
  mediaBaseUrl: string;
  platform: string;
}
