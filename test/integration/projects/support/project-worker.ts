/**
 * A second (third, …) process writing one data folder, for the cross-process tests: bundled by the test and run
 * with plain Node. Each command waits until `startAt` (epoch ms) so that all processes hit the storage together,
 * then prints one JSON line: `{ ok: true, … }` or `{ ok: false, code, message }`.
 *   create DATA_DIR NAME ROUNDS START_AT           round r (at START_AT + r × 250 ms) creates "NAME r"; answers
 *                                                  `{ ok: true, results: [{ id } | { code }] }`
 *   rename DATA_DIR PROJECT_ID NAME ROUNDS START_AT   round r renames the project to "NAME r" (answers as create)
 *   labels DATA_DIR PROJECT_ID TAG COUNT START_AT  creates labels TAG-i and renames each to TAG-i-renamed
 */
import path from 'node:path';
import { AppFailure } from '../../../../app/ipc/result';
import { createServices } from '../../../../main/services/services';

function failureOf(error: unknown): { code: string; message: string } {
  const details = error instanceof AppFailure ? (error.details as { code?: string } | undefined) : undefined;
  return { code: details?.code ?? (error as { code?: string }).code ?? 'error', message: String(error) };
}

async function main(): Promise<void> {
  const [command, dataDir, ...args] = process.argv.slice(2);
  const services = createServices({
    dataDir,
    workersDir: path.resolve(__dirname, '../workers'),
    mediaBaseUrl: 'http://127.0.0.1:0/media',
    version: '0.0.0-test',
  });
  const startAt = Number(args[args.length - 1]);
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  try {
    if (command === 'create') {
      const results: ({ id: string } | { code: string })[] = [];
      for (let round = 0; round < Number(args[1]); round++) {
        await new Promise((r) => setTimeout(r, Math.max(0, startAt + round * 250 - Date.now())));
        try {
          results.push({
            id: services.projects.create({ name: `${args[0]} ${round}`, inputSize: 28, color: 'gray' }).id,
          });
        } catch (error) {
          results.push({ code: failureOf(error).code });
        }
      }
      process.stdout.write(JSON.stringify({ ok: true, results }) + '\n');
    } else if (command === 'rename') {
      const [projectId, name, rounds] = args;
      const results: ({ id: string } | { code: string })[] = [];
      for (let round = 0; round < Number(rounds); round++) {
        await new Promise((r) => setTimeout(r, Math.max(0, startAt + round * 250 - Date.now())));
        try {
          results.push({ id: services.projects.rename(projectId, `${name} ${round}`).id });
        } catch (error) {
          results.push({ code: failureOf(error).code });
        }
      }
      process.stdout.write(JSON.stringify({ ok: true, results }) + '\n');
    } else if (command === 'labels') {
      const [projectId, tag, count] = args;
      const failures: { code: string; message: string }[] = [];
      for (let i = 0; i < Number(count); i++) {
        try {
          const label = services.dataset.createLabel(projectId, `${tag}-${i}`);
          services.dataset.renameLabel(projectId, label.id, `${tag}-${i}-renamed`);
        } catch (error) {
          failures.push(failureOf(error));
        }
      }
      process.stdout.write(JSON.stringify({ ok: failures.length === 0, failures }) + '\n');
    } else throw new Error(`unknown command ${command}`);
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, ...failureOf(error) }) + '\n');
  } finally {
    await services.dispose();
  }
}

void main();
