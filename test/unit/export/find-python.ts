/**
 * Finds a Python interpreter that has the given modules (the export tests need Debian's python3-pil and
 * python3-onnx). PATH's python3 may be another installation without them (a pyenv here), so Debian's
 * /usr/bin/python3 is probed too; CNN_STUDIO_PYTHON names one explicitly. Returns the interpreter, or why none fits.
 */
import { spawnSync } from 'node:child_process';

export type PythonProbe = { python: string; reason: null } | { python: null; reason: string };

export function findPython(modules: string[]): PythonProbe {
  const candidates = [process.env.CNN_STUDIO_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(
    (c): c is string => Boolean(c),
  );
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status === 0) return { python, reason: null };
    tried.push(`${python}: ${r.error ? 'not found' : (r.stderr.trim().split('\n').pop() ?? 'failed')}`);
  }
  return { python: null, reason: `no Python with ${modules.join(' + ')} (${tried.join('; ')})` };
}
