import { hiddenCharacter } from './name-characters';
import { PROJECT_LIMITS } from './project';

/**
 * The rules of a project name, shared by main (which refuses a name: main/services/project-name.ts) and the page
 * (which says so as the user types). Names also label folders when a project is exported, so anything a file
 * system would refuse or read as a path breaks a rule. Pure: no node imports.
 */

/** Control characters and characters Windows, macOS or Linux refuse in a file name. */
// eslint-disable-next-line no-control-regex
export const PROJECT_NAME_FORBIDDEN_CHARS = /[\u0000-\u001f\u007f<>:"/\\|?*]/;

/** Device names Windows reserves (with any extension). */
export const PROJECT_NAME_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** The details code of each broken rule (AppFailure details.code; the page words them). */
export type ProjectNameRule =
  | 'project-name-empty'
  | 'project-name-too-long'
  | 'project-name-path'
  | 'project-name-chars'
  | 'project-name-hidden-char'
  | 'project-name-reserved'
  | 'project-name-trailing';

/** A name as it is stored and compared: NFC, trimmed. */
export function normaliseProjectName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** The first rule the (raw) name breaks, checked in this order, or null when it is a valid project name. */
export function brokenProjectNameRule(raw: string): ProjectNameRule | null {
  const name = normaliseProjectName(raw);
  if (name.length === 0) return 'project-name-empty';
  if (name.length > PROJECT_LIMITS.nameMaxLength) return 'project-name-too-long';
  if (name === '.' || name === '..' || name.includes('..')) return 'project-name-path';
  if (PROJECT_NAME_FORBIDDEN_CHARS.test(name)) return 'project-name-chars';
  if (hiddenCharacter(name)) return 'project-name-hidden-char';
  if (PROJECT_NAME_RESERVED.test(name)) return 'project-name-reserved';
  if (/[. ]$/.test(name)) return 'project-name-trailing';
  return null;
}
