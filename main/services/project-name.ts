import { PROJECT_LIMITS } from '../../app/domain/project';
import {
  brokenProjectNameRule,
  normaliseProjectName,
  type ProjectNameRule,
} from '../../app/domain/project-name-rules';
import { hiddenCharacter, revealHiddenCharacters } from '../../app/domain/name-characters';
import { AppFailure } from '../../app/ipc/result';

/** Main's English for each broken rule (the technical detail; the page words the code). */
const WHY: Record<ProjectNameRule, string> = {
  'project-name-empty': 'is empty',
  'project-name-too-long': `is longer than ${PROJECT_LIMITS.nameMaxLength} characters`,
  'project-name-path': 'looks like a path',
  'project-name-chars': 'contains a character that is not allowed (/ \\ : * ? " < > | or control)',
  'project-name-hidden-char': 'contains an invisible or text-direction character',
  'project-name-reserved': 'is a name Windows reserves',
  'project-name-trailing': 'ends with a dot or a space',
};

/**
 * Checks a user-chosen project name and returns it trimmed. The rules (app/domain/project-name-rules.ts) are the
 * page's too; a name that breaks one is refused with its code.
 */
export function validateProjectName(raw: string): string {
  const rule = brokenProjectNameRule(raw);
  if (rule)
    throw new AppFailure(
      'invalid-name',
      `Project name ${JSON.stringify(revealHiddenCharacters(raw))} ${WHY[rule]}.`,
      {
        code: rule,
        name: raw,
        ...(rule === 'project-name-too-long' ? { max: PROJECT_LIMITS.nameMaxLength } : {}),
        ...(rule === 'project-name-hidden-char' ? { char: hiddenCharacter(raw.normalize('NFC')) } : {}),
      },
    );
  return normaliseProjectName(raw);
}
