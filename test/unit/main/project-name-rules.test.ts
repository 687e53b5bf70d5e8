import { describe, expect, it } from 'vitest';
import { LABEL_NAME_MAX_LENGTH } from '../../../app/domain/dataset';
import { PROJECT_LIMITS } from '../../../app/domain/project';
import { brokenProjectNameRule } from '../../../app/domain/project-name-rules';
import { labelName } from '../../../app/ipc/schemas';
import { LABEL_NAME_MAX } from '../../../main/services/dataset/labels';
import { validateProjectName } from '../../../main/services/project-name';

const cases: [string, string | null][] = [
  ['Fashion', null],
  ['  Fashion  ', null],
  ['', 'project-name-empty'],
  ['   ', 'project-name-empty'],
  ['x'.repeat(PROJECT_LIMITS.nameMaxLength), null],
  ['x'.repeat(PROJECT_LIMITS.nameMaxLength + 1), 'project-name-too-long'],
  ['..', 'project-name-path'],
  ['a..b', 'project-name-path'],
  ['a/b', 'project-name-chars'],
  ['a\u0007b', 'project-name-chars'],
  ['a\u202eb', 'project-name-hidden-char'],
  ['a\u200bb', 'project-name-hidden-char'],
  ['CON', 'project-name-reserved'],
  ['lpt1.txt', 'project-name-reserved'],
  ['name.', 'project-name-trailing'],
];

describe('project name rules (app/domain, shared by main and the page)', () => {
  it.each(cases)('%j breaks %s', (raw, rule) => {
    expect(brokenProjectNameRule(raw)).toBe(rule);
  });

  it('main refuses exactly the names the shared rules refuse, with the rule as its code', () => {
    for (const [raw, rule] of cases) {
      if (rule === null) {
        expect(validateProjectName(raw)).toBe(raw.trim());
        continue;
      }
      try {
        validateProjectName(raw);
        throw new Error(`accepted ${JSON.stringify(raw)}`);
      } catch (error) {
        expect((error as { details?: { code?: string } }).details?.code).toBe(rule);
      }
    }
  });

  it('the label name limit is one number: the domain, the contract and main', () => {
    expect(LABEL_NAME_MAX_LENGTH).toBe(100);
    expect(LABEL_NAME_MAX).toBe(LABEL_NAME_MAX_LENGTH);
    expect(labelName.safeParse('x'.repeat(LABEL_NAME_MAX_LENGTH)).success).toBe(true);
    expect(labelName.safeParse('x'.repeat(LABEL_NAME_MAX_LENGTH + 1)).success).toBe(false);
  });
});
