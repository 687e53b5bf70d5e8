/**
 * Which runs are really alive. A running, paused or queued run names its owner (pid + a random token per process)
 * and the owner refreshes a heartbeat every few seconds. A run whose owner is gone (crash, kill -9, power loss: the
 * pid is dead, or its heartbeat is stale because the pid was reused) is marked `interrupted`, so it never shows as
 * running forever and never blocks a new run.
 */
import { randomUUID } from 'node:crypto';
import type { RunRepository } from './run-repository';

const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this means the owner is gone, even if its pid now belongs to another process. */
const STALE_MS = 30_000;

const LIVE_STATUSES = new Set(['running', 'paused', 'queued']);

export class Liveness {
  readonly owner = { pid: process.pid, token: randomUUID() };
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly owned: () => { projectId: string; runId: string }[],
    private readonly repo: (projectId: string) => RunRepository,
  ) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  private beat(): void {
    const byProject = new Map<string, string[]>();
    for (const r of this.owned())
      byProject.set(r.projectId, [...(byProject.get(r.projectId) ?? []), r.runId]);
    for (const [projectId, runIds] of byProject) {
      try {
        this.repo(projectId).heartbeat(runIds, this.owner.token);
      } catch {
        // the project was deleted or its database is busy: the next beat tries again
      }
    }
  }

  /** Marks the project's runs whose owner is gone as interrupted. */
  reconcile(projectId: string): void {
    const repo = this.repo(projectId);
    const mine = new Set(this.owned().map((r) => r.runId));
    for (const run of repo.list()) {
      if (!LIVE_STATUSES.has(run.status)) continue;
      if (run.owner?.token === this.owner.token ? mine.has(run.id) : ownerAlive(run.owner)) continue;
      repo.setStatus(run.id, 'interrupted');
      repo.setOwner(run.id, null);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function ownerAlive(owner: { pid: number; heartbeatAt: number } | null): boolean {
  if (!owner) return false;
  if (Date.now() - owner.heartbeatAt > STALE_MS) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
