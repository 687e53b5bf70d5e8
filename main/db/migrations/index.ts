import { migration001 } from './001-project';
import { migration002 } from './002-dataset';
import { migration003 } from './003-image-order';
import { migration004 } from './004-runs';
import { migration005 } from './005-suggestions';
import { migration006 } from './006-import-issue-codes';
import { migration007 } from './007-import-issue-dismissal';
import { migration008 } from './008-imported-runs';

/** One schema step; `version` numbers are consecutive from 1 and never change once released. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Every migration of a project database, in order. Features append theirs here. */
export const projectMigrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
