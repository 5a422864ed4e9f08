/**
 * At local start nothing can still be running: a run left `running` (or `waiting`) was cut
 * off by the last stop or crash.
 *
 * A durable run (a Workflows instance: webhook and cron runs, packages/executor/src/services/durable.ts)
 * is resumed: Miniflare's Workflows simulator keeps its instances and their finished steps under
 * the state folder, but it does not wake them after workerd restarts (its engine sets no alarms:
 * the instance just stays "running"). An event wakes a sleeping engine, which then replays the
 * instance from its stored steps, so each such instance is sent RESUME_EVENT: finished nodes
 * return their stored results, the first unfinished node runs again, a sleep waits out what is
 * left of it. Any other run ends `failed` with reason `interrupted` (DESIGN § Run guarantees),
 * never `running` forever. On Cloudflare the platform resumes instances by itself.
 */
/** The slice of D1 used here (Miniflare's `getD1Database()` proxy or a binding). */
interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<{ meta: { changes?: number } }>; all<T>(): Promise<{ results: T[] }> } };
}

/** The slice of the executor's Workflows binding used here (Miniflare's `getBindings()` proxy). */
export interface WorkflowsLike {
  get(id: string): Promise<{ status(): Promise<{ status: string }>; sendEvent(event: { type: string; payload: unknown }): Promise<void> }>;
}

export const INTERRUPTED_ERROR = {
  code: "interrupted",
  message: "The run was interrupted: the executor stopped before it finished.",
};

/** packages/executor/src/services/durable.ts RESUME_EVENT (user event names never have a "-") */
export const RESUME_EVENT = "arcrun-resume";
const UNFINISHED = new Set(["queued", "running", "waiting", "paused", "waitingForPause"]);

/** Returns how many runs were closed; a database without the runs table has none. */
export async function failInterruptedRuns(db: D1Like): Promise<number> {
  return (await resumeInterruptedRuns(db)).failed;
}

/** Resumes every unfinished durable run, fails the rest; a database without the runs table has none. */
export async function resumeInterruptedRuns(db: D1Like, workflows?: WorkflowsLike): Promise<{ resumed: string[]; failed: number }> {
  let ids: string[];
  try {
    ids = (await db.prepare("SELECT run_id FROM runs WHERE status = 'running'").bind().all<{ run_id: string }>()).results.map((r) => r.run_id);
  } catch (err) {
    if (/no such table/i.test(String((err as Error).message))) return { resumed: [], failed: 0 };
    throw err;
  }
  const resumed: string[] = [];
  let failed = 0;
  for (const id of ids) {
    if (workflows && (await wake(workflows, id))) {
      resumed.push(id);
      continue;
    }
    const result = await db
      .prepare("UPDATE runs SET status = 'failed', error = ?, waiting = NULL WHERE run_id = ? AND status = 'running'")
      .bind(JSON.stringify(INTERRUPTED_ERROR), id)
      .run()
      .catch(async (err: Error) => {
        // a database before migration 0005 has no waiting column
        if (!/no such column/i.test(err.message)) throw err;
        return db.prepare("UPDATE runs SET status = 'failed', error = ? WHERE run_id = ? AND status = 'running'").bind(JSON.stringify(INTERRUPTED_ERROR), id).run();
      });
    failed += result.meta.changes ?? 0;
  }
  return { resumed, failed };
}

/** true when the run has an unfinished instance, now woken */
async function wake(workflows: WorkflowsLike, id: string): Promise<boolean> {
  let instance: Awaited<ReturnType<WorkflowsLike["get"]>>;
  try {
    instance = await workflows.get(id);
  } catch {
    return false; // no instance: the run did not run durably
  }
  const { status } = await instance.status();
  if (!UNFINISHED.has(status)) return false;
  await instance.sendEvent({ type: RESUME_EVENT, payload: {} });
  return true;
}
