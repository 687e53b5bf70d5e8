/** Whether a project's images are fed to the network as one gray channel or three RGB channels. */
export type ColorMode = 'gray' | 'rgb';

/** A project as the project list shows it. */
export interface ProjectSummary {
  id: string;
  name: string;
  /** Side of the square network input in pixels (images are resized to it). */
  inputSize: number;
  color: ColorMode;
  createdAt: string;
  updatedAt: string;
  imageCount: number;
  labelCount: number;
  /** Set when the project's folder or database cannot be read; the project is listed but cannot be opened. */
  problem?: string;
  /** With `problem`: what is wrong (main's details code) and the automatic backups a restore can bring back. */
  damage?: ProjectDamage;
}

/** Why a damaged project cannot be opened, and what can bring it back. */
export interface ProjectDamage {
  /** The failure's details code: 'database-damaged', 'database-empty', 'database-missing', … */
  code: string;
  /** The project's automatic backups, newest first (empty when there are none). */
  backups: ProjectBackup[];
}

/** One automatic copy of a project's database, in the project's `backups/` folder. */
export interface ProjectBackup {
  /** The file's name (`project-<UTC time>.sqlite`); the CLI's `--backup` and the restore channel take it. */
  file: string;
  /** When the copy was taken (ISO 8601, UTC). */
  createdAt: string;
  bytes: number;
}

/** What restoring a backup did: the project as restored, the backup used, where the replaced file was kept. */
export interface RestoredBackup {
  project: ProjectSummary;
  /** The backup's file name. */
  backup: string;
  /** The replaced database's new name beside it (`project.sqlite.damaged-<time>`), or null when there was none. */
  keptAs: string | null;
}

/** A project in the trash: deleted but recoverable until the trash is emptied. */
export interface TrashedProject {
  id: string;
  name: string;
  deletedAt: string;
}

/** Limits the UI, CLI and services share. */
export const PROJECT_LIMITS = {
  nameMaxLength: 80,
  minInputSize: 8,
  maxInputSize: 256,
  defaultInputSize: 28,
} as const;
