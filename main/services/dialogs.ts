/**
 * The operating system's file dialogs, as a port: the Electron shell passes one built on `dialog` (services never
 * import electron), e2e tests a scripted one, and the CLI none (the `dialog:*` channels then fail clearly).
 */
export type OpenDialogKind = 'images' | 'folder' | 'images-or-folders' | 'model';
export type SaveDialogKind = 'csv';

export interface FileDialogs {
  /** Chosen paths; empty when the user cancelled. */
  open(kind: OpenDialogKind, multiple: boolean): Promise<string[]>;
  /** The chosen file; null when the user cancelled. */
  save(kind: SaveDialogKind, defaultName: string): Promise<string | null>;
}
