import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, app, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { LastFolders, type FileDialogs, type OpenDialogKind, type SaveDialogKind } from '../services/dialogs';

/** Image types the pickers offer (the import and prediction decoders read these). */
const IMAGE_FILTER = {
  name: 'Images',
  extensions: [
    'jpg',
    'jpeg',
    'jpe',
    'jfif',
    'png',
    'webp',
    'gif',
    'tif',
    'tiff',
    'avif',
    'heic',
    'heif',
    'bmp',
  ],
};

/** Model files CNN Studio writes (exports, and a run's own model files). */
const MODEL_FILTER = { name: 'CNN Studio model', extensions: ['cnnmodel', 'model'] };
/** What import-model reads: our model files and ONNX. */
const IMPORT_MODEL_FILTER = { name: 'Model (CNN Studio, ONNX)', extensions: ['cnnmodel', 'model', 'onnx'] };

const SAVE_FILTERS: Record<SaveDialogKind, { name: string; extensions: string[] }[]> = {
  csv: [{ name: 'CSV', extensions: ['csv'] }],
};

function openProperties(kind: OpenDialogKind, multiple: boolean): OpenDialogOptions['properties'] {
  const props: NonNullable<OpenDialogOptions['properties']> = [];
  if (kind === 'images' || kind === 'model' || kind === 'model-import') props.push('openFile');
  else if (kind === 'folder') props.push('openDirectory');
  // Files and folders in one dialog work on macOS only; elsewhere the dialog picks files.
  else props.push('openFile', ...(process.platform === 'darwin' ? (['openDirectory'] as const) : []));
  if (multiple) props.push('multiSelections');
  return props;
}

/**
 * The OS file dialogs of Electron, attached to the focused window (a thin adapter; services never see electron).
 * Each kind of dialog opens in the folder it last picked from (kept in `<userData>/dialog-folders.json`).
 */
export function electronFileDialogs(): FileDialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const lastFolders = new LastFolders(
    path.join(app.getPath('userData'), 'dialog-folders.json'),
    fs,
    path.dirname,
  );
  return {
    async open(kind, multiple) {
      const startIn = lastFolders.folderFor(kind);
      const options: OpenDialogOptions = {
        ...(startIn ? { defaultPath: startIn } : {}),
        properties: openProperties(kind, multiple),
        ...(kind === 'folder'
          ? {}
          : {
              filters: [
                kind === 'model'
                  ? MODEL_FILTER
                  : kind === 'model-import'
                    ? IMPORT_MODEL_FILTER
                    : IMAGE_FILTER,
                { name: 'All files', extensions: ['*'] },
              ],
            }),
      };
      const win = parent();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      const picked = result.canceled ? [] : result.filePaths;
      lastFolders.remember(kind, picked);
      return picked;
    },
    async save(kind, defaultName) {
      const startIn = lastFolders.folderFor(kind);
      const options: SaveDialogOptions = {
        defaultPath: startIn ? path.join(startIn, defaultName) : defaultName,
        filters: SAVE_FILTERS[kind],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = parent();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      const file = result.canceled || !result.filePath ? null : result.filePath;
      if (file) lastFolders.remember(kind, [file]);
      return file;
    },
  };
}
