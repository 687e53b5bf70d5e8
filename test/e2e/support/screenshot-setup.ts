import path from 'node:path';
import { repoRoot } from './paths';

/** Screenshot tests take pictures for people to review; they run only when asked to. */
export const screenshotsEnabled = process.env.CNN_STUDIO_SCREENSHOTS === '1';
/** Where review screenshots land. */
export const reviewDir = path.join(repoRoot, 'test-results', 'screenshots');
/** Every language × theme the UI supports. */
export const screenshotCombos = [
  { locale: 'en-US', colorScheme: 'light' },
  { locale: 'en-US', colorScheme: 'dark' },
  { locale: 'zh-CN', colorScheme: 'light' },
  { locale: 'zh-CN', colorScheme: 'dark' },
] as const;
