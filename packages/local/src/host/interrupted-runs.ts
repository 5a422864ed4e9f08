/**
 * At local start nothing can still be running: a run left `running` was cut off by the last
 * stop or crash. DESIGN § Run guarantees: it ends `failed` with reason `interrupted`,
 * never `running` forever. (On Cloudflare this needs a sweep of its own; later issue.)
 */
/** The slice of D1 used here (Miniflare's `getD1Database()` proxy or a binding). */
interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<{ meta: { changes?: number } }> } };
}

export const INTERRUPTED_ERROR = {
  code: "interrupted",
  message: "The run was interrupted: the executor stopped before it finished.",
};

/** Returns how many runs were closed; a database without the runs table has none. */
export async function failInterruptedRuns(db: D1Like): Promise<number> {
  try {
    const result = await db
      .prepare("UPDATE runs SET status = 'failed', error = ? WHERE status = 'running'")
      .bind(JSON.stringify(INTERRUPTED_ERROR))
      .run();
    return result.meta.changes ?? 0;
  } catch (err) {
    if (/no such table/i.test(String((err as Error).message))) return 0;
    throw err;
  }
}
