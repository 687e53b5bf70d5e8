import { BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { FileDialogs, OpenDialogKind, SaveDialogKind } from '../services/dialogs';

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

const SAVE_FILTERS: Record<SaveDialogKind, { name: string; extensions: string[] }[]> = {
  csv: [{ name: 'CSV', extensions: ['csv'] }],
};

function openProperties(kind: OpenDialogKind, multiple: boolean): OpenDialogOptions['properties'] {
  const props: NonNullable<OpenDialogOptions['properties']> = [];
  if (kind === 'images' || kind === 'model') props.push('openFile');
  else if (kind === 'folder') props.push('openDirectory');
  // Files and folders in one dialog work on macOS only; elsewhere the dialog picks files.
  else props.push('openFile', ...(process.platform === 'darwin' ? (['openDirectory'] as const) : []));
  if (multiple) props.push('multiSelections');
  return props;
}

/** The OS file dialogs of Electron, attached to the focused window (a thin adapter; services never see electron). */
export function electronFileDialogs(): FileDialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return {
    async open(kind, multiple) {
      const options: OpenDialogOptions = {
        properties: openProperties(kind, multiple),
        ...(kind === 'folder'
          ? {}
          : {
              filters: [
                kind === 'model' ? MODEL_FILTER : IMAGE_FILTER,
                { name: 'All files', extensions: ['*'] },
              ],
            }),
      };
      const win = parent();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async save(kind, defaultName) {
      const options: SaveDialogOptions = {
        defaultPath: defaultName,
        filters: SAVE_FILTERS[kind],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const win = parent();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
