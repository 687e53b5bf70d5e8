/**
 * The operating system's file dialogs, as a port: the Electron shell passes one built on `dialog` (services never
 * import electron), e2e tests a scripted one, and the CLI none (the `dialog:*` channels then fail clearly).
 */
export type OpenDialogKind = 'images' | 'folder' | 'images-or-folders' | 'model' | 'model-import';
export type SaveDialogKind = 'csv';

export interface FileDialogs {
  /** Chosen paths; empty when the user cancelled. */
  open(kind: OpenDialogKind, multiple: boolean): Promise<string[]>;
  /** The chosen file; null when the user cancelled. */
  save(kind: SaveDialogKind, defaultName: string): Promise<string | null>;
}

/** What LastFolders keeps: per dialog kind, the folder the next dialog of that kind opens in. */
type FolderMemory = Partial<Record<OpenDialogKind | SaveDialogKind, string>>;

/**
 * The folder each kind of dialog last picked from (issue 12: "remember the last folder"), so the next dialog of
 * that kind opens there: the folder holding the picked file or folder (its siblings are what one picks next, e.g.
 * the next class folder). Kept in a small JSON file of the app's data folder, so it survives a restart; a missing
 * or damaged file just means no memory yet, and a remembered folder that no longer exists is not offered.
 */
export class LastFolders {
  private memory: FolderMemory;

  constructor(
    private readonly file: string | null,
    private readonly fs: {
      readFileSync(file: string, encoding: 'utf8'): string;
      writeFileSync(file: string, data: string): void;
      existsSync(file: string): boolean;
    },
    private readonly dirname: (p: string) => string,
  ) {
    this.memory = this.load();
  }

  /** The folder to open a dialog of this kind in, or undefined (the OS's default). */
  folderFor(kind: OpenDialogKind | SaveDialogKind): string | undefined {
    const folder = this.memory[kind];
    return folder && this.fs.existsSync(folder) ? folder : undefined;
  }

  /** Remembers where the user picked from; nothing for a cancelled dialog. */
  remember(kind: OpenDialogKind | SaveDialogKind, picked: string[]): void {
    if (picked.length === 0) return;
    this.memory = { ...this.memory, [kind]: this.dirname(picked[0]) };
    if (!this.file) return;
    try {
      this.fs.writeFileSync(this.file, JSON.stringify(this.memory));
    } catch {
      // Not being able to remember a folder must never fail the pick itself.
    }
  }

  private load(): FolderMemory {
    if (!this.file) return {};
    try {
      const value = JSON.parse(this.fs.readFileSync(this.file, 'utf8')) as unknown;
      if (typeof value !== 'object' || value === null) return {};
      return Object.fromEntries(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ) as FolderMemory;
    } catch {
      return {};
    }
  }
}
