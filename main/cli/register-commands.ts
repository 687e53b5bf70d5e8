/**
 * Feature commands (import, train, evaluate, predict, export) register themselves here, so run-cli.ts stays
 * the same as features are added. Each import below calls registerCliCommand.
 */
import './commands/import';
import './commands/model';
import './commands/train';
import './commands/evaluate';
import './commands/runs';
import './commands/predict';
import './commands/export';
import './commands/export-training';
import './commands/inspect';
import './commands/suggest';
import './commands/embed';
import './commands/import-model';
