import { z } from 'zod';
import { invoke } from '../define';

/**
 * The operating system's file dialogs (Electron's dialog module in the app; a scripted one in tests). One typed
 * channel per dialog kind, shared by every feature (dataset import, predict, export).
 */
export const dialogChannels = {
  /**
   * Picks images, folders or a model file to open ('model': ours, to predict with; 'model-import': ours or ONNX,
   * to import as a run); `paths` is empty when the user cancels.
   */
  'dialog:open': invoke<{ paths: string[] }>()(
    z
      .object({
        kind: z.enum(['images', 'folder', 'images-or-folders', 'model', 'model-import']),
        multiple: z.boolean().default(true),
      })
      .strict(),
  ),
  /** Picks where to save a file of `kind`; `file` is null when the user cancels. */
  'dialog:save': invoke<{ file: string | null }>()(
    z.object({ kind: z.enum(['csv']), defaultName: z.string().min(1).max(255) }).strict(),
  ),
} as const;
