import { PROJECT_LIMITS } from '../../app/domain/project';
import { AppFailure } from '../../app/ipc/result';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Control characters and characters Windows, macOS or Linux refuse in a file name.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f<>:"/\\|?*]/;

/**
 * Checks a user-chosen project name and returns it trimmed. Names also label folders when a project is exported,
 * so anything a file system would refuse or read as a path is rejected with a reason.
 */
export function validateProjectName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  const reject = (why: string, code: string, max?: number): never => {
    throw new AppFailure('invalid-name', `Project name ${JSON.stringify(raw)} ${why}.`, {
      code,
      name: raw,
      ...(max === undefined ? {} : { max }),
    });
  };
  if (name.length === 0) reject('is empty', 'project-name-empty');
  if (name.length > PROJECT_LIMITS.nameMaxLength)
    reject(
      `is longer than ${PROJECT_LIMITS.nameMaxLength} characters`,
      'project-name-too-long',
      PROJECT_LIMITS.nameMaxLength,
    );
  if (name === '.' || name === '..' || name.includes('..')) reject('looks like a path', 'project-name-path');
  if (FORBIDDEN_CHARS.test(name))
    reject('contains a character that is not allowed (/ \\ : * ? " < > | or control)', 'project-name-chars');
  if (WINDOWS_RESERVED.test(name)) reject('is a name Windows reserves', 'project-name-reserved');
  if (/[. ]$/.test(name)) reject('ends with a dot or a space', 'project-name-trailing');
  return name;
}
