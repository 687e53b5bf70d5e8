import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { setSqliteNativeBinding } from './db/open-database';
import { createHandlerTable } from './ipc/handler-table';
import { registerIpc, webContentsEvents } from './ipc/register-ipc';
import { handleAppProtocol, registerAppScheme } from './protocol/app-protocol';
import { createServices, type Services } from './services/services';
import { appVersion, findAppRoot, workersDirFor } from './storage/app-paths';
import { modelFilesIn } from './storage/opened-files';
import { APP_NAME } from './storage/default-data-dir';
import { electronFileDialogs } from './windows/file-dialogs';
import { docLinkOpener } from './windows/doc-links';
import { createMainWindow, preloadPath } from './windows/main-window';
import { lockPermissions } from './windows/permissions';
import { claimSingleInstance } from './windows/single-instance';

// The Electron shell: lifecycle only. Everything behind it (services, storage, workers) is plain Node and is
// tested without Electron.
app.setName(APP_NAME);
const dataDirFlag = process.argv.find((a) => a.startsWith('--data-dir='));
if (dataDirFlag) app.setPath('userData', path.resolve(dataDirFlag.slice('--data-dir='.length)));

if (claimSingleInstance(app)) {
  registerAppScheme();
  let window: BrowserWindow | undefined;
  let services: Services | undefined;
  /** Model files to hand to the page once it has loaded (double-clicked .cnnmodel files). */
  const openedFiles: string[] = modelFilesIn(process.argv.slice(1));
  let pageReady = false;
  const flushOpenedFiles = () => {
    if (!pageReady || !services) return;
    for (const file of openedFiles.splice(0)) services.events.emit('app:openModelFile', { file });
  };

  app.on('second-instance', (_event, argv, cwd) => {
    openedFiles.push(...modelFilesIn(argv.slice(1), cwd));
    flushOpenedFiles();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  // macOS: a double-clicked model file (may come before the app is ready)
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openedFiles.push(...modelFilesIn([file]));
    flushOpenedFiles();
  });

  app.whenReady().then(() => {
    const appRoot = findAppRoot(app.getAppPath());
    useElectronSqliteBuild(appRoot);
    lockPermissions(session.defaultSession);
    services = createServices(
      {
        dataDir: app.getPath('userData'),
        workersDir: workersDirFor(appRoot),
        mediaBaseUrl: 'app://media',
        version: appVersion(appRoot),
        dialogs: electronFileDialogs(),
        openDocLink: docLinkOpener(shell),
      },
      webContentsEvents(() => window?.webContents),
    );
    handleAppProtocol(path.join(appRoot, 'out', 'renderer'), services);
    registerIpc(ipcMain, createHandlerTable(), services);
    window = createMainWindow(BrowserWindow, preloadPath(__dirname));
    window.webContents.on('did-finish-load', () => {
      pageReady = true;
      flushOpenedFiles();
    });
    window.on('closed', () => {
      window = undefined;
      pageReady = false;
    });
  });

  app.on('window-all-closed', () => app.quit());
  // Quitting waits for the services: a running training run writes its checkpoint first (it resumes next time).
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed || !services) return;
    event.preventDefault();
    const closing = services;
    services = undefined;
    void closing.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
}

/**
 * better-sqlite3 in node_modules is built for Node's ABI (tests and the CLI use it). Electron needs one built for
 * its own ABI; scripts/electron-native.mjs puts it in native/electron/ and we point better-sqlite3 at it.
 */
function useElectronSqliteBuild(appRoot: string): void {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    path.join(appRoot, 'native', 'electron', 'better_sqlite3.node'),
  ];
  setSqliteNativeBinding(candidates.find((file) => fs.existsSync(file)));
}
