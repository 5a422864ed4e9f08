/**
 * Idempotency for every trigger (issue 13 item 3): the key is the `Idempotency-Key` header or
 * the workflow's `idempotency_key` template over the payload (core triggers/idempotency.ts),
 * claimed for the run id about to start in the ClaimStore (D1 `claims`, 24 h). The first
 * delivery runs; any other inside 24 h starts nothing:
 * - async (webhook): 202 with the first run's id;
 * - sync (`/q`, named query, `/execute`): the first run's recorded result once it has finished —
 *   waiting up to RECORDED_WAIT_MS for it — else 409 `run_in_progress` with its run_id.
 * A run that cannot be started (its input refused) releases its key.
 */
import { arcrunError, claimRun, idempotencyKeyFor, idempotencyStorageKey, IDEMPOTENCY_HEADER, type CompiledWorkflow, type RunRecord } from "@arcrun/core";
import type { Services } from "../env";

/** How long a sync duplicate waits for the first run to finish before answering 409. */
export const RECORDED_WAIT_MS = 2_000;
const POLL_MS = 100;

export type IdempotencyClaim =
  /** no key: run as usual */
  | { kind: "none" }
  /** this delivery holds the key: run under `runId`; `release` if the run cannot start */
  | { kind: "first"; release: () => Promise<void> }
  /** an earlier delivery holds it */
  | { kind: "duplicate"; runId: string };

export async function claimIdempotency(
  services: Services,
  args: { workflow: CompiledWorkflow; header: string | undefined; input: unknown; runId: string },
): Promise<IdempotencyClaim> {
  const key = idempotencyKeyFor({ header: args.header, template: args.workflow.idempotency_key, input: args.input });
  if (key === undefined) return { kind: "none" };
  const claim = await claimRun(services.claims, { workflow: args.workflow.name, key, runId: args.runId });
  if (!claim.claimed) return { kind: "duplicate", runId: claim.runId };
  const storageKey = idempotencyStorageKey(args.workflow.name, key);
  return { kind: "first", release: () => services.claims.release(storageKey, args.runId) };
}

/** The first run's finished record, for a sync duplicate; 409 `run_in_progress` while it is not finished. */
export async function recordedRun(services: Services, runId: string, waitMs = RECORDED_WAIT_MS): Promise<RunRecord> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const run = await services.runs.get(runId);
    if (run && run.status !== "running") return run;
    if (Date.now() >= deadline) {
      throw arcrunError("run_in_progress", `A run with this idempotency key (${runId}) has not finished yet.`, {
        hint: `Ask again in a moment with the same ${IDEMPOTENCY_HEADER}, or read GET /runs/${runId}.`,
        details: { run_id: runId },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * A sync trigger under idempotency: runs `run(runId)` for the first delivery, answers the
 * recorded run for later ones. `replayed` is true for a duplicate (the route sets `Idempotent-Replayed: true`).
 */
export async function runSyncOnce(
  services: Services,
  args: { workflow: CompiledWorkflow; header: string | undefined; input: unknown; runId: string; run: (runId: string) => Promise<RunRecord> },
): Promise<{ run: RunRecord; replayed: boolean }> {
  const claim = await claimIdempotency(services, args);
  if (claim.kind === "duplicate") return { run: await recordedRun(services, claim.runId), replayed: true };
  try {
    return { run: await args.run(args.runId), replayed: false };
  } catch (error) {
    if (claim.kind === "first") await claim.release();
    throw error;
  }
}

export const REPLAYED_HEADER = "Idempotent-Replayed";
