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
