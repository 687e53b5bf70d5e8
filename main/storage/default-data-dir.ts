import os from 'node:os';
import path from 'node:path';

/** The product name; Electron's userData folder is `<appData>/<this>`. */
export const APP_NAME = 'CNN Studio';

/**
 * The folder Electron's app.getPath('userData') gives, computed without Electron so the CLI and the app share
 * one data folder by default. CNN_STUDIO_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CNN_STUDIO_DATA_DIR) return path.resolve(env.CNN_STUDIO_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
