/**
 * One synchronous sandbox call at a time per isolate, with a pause after a long one.
 *
 * Local workerd serves every request of a process on one thread (DESIGN § Runtime facts). A
 * runaway node is stopped by its work budget, but several runs at once would otherwise queue
 * their budgets back to back, and every hop of an unrelated request (/health, another run)
 * waits behind one of them. So calls into QuickJS and WASM modules pass this gate: one at a
 * time, and after a call that worked longer than LONG_CALL_MS the next one waits as long
 * again (at most MAX_PAUSE_MS), so other requests run in between. Short calls — nearly every node — pass straight through.
 *
 * Each waiter sleeps on its own timers (workerd runs a request's code only in that request's
 * context), and a call holds the gate for at most `leaseMs` (a call whose request went away
 * never blocks the others). The gate is per isolate on purpose: so is the thread it shares.
 * Its clock reads decide only when work starts, never how much a node may do; on Cloudflare,
 * where the clock stands still during synchronous work, a long call reads as short.
 */
export const LONG_CALL_MS = 20;
/** the pause after a long call: as long as the call, at most this (enough for other requests' turns) */
export const MAX_PAUSE_MS = 200;
/** how often a waiter looks again while another call holds the gate */
const RECHECK_MS = 10;

type Clock = () => number;

export interface SyncGate {
  /** runs `work` when the gate is free; `leaseMs` bounds how long it may hold the gate */
  run<T>(work: () => T | Promise<T>, leaseMs?: number): Promise<T>;
}

export function createSyncGate(clock: Clock = () => Date.now()): SyncGate {
  let heldUntil = 0;
  let heldLease = 0;
  let nextStart = 0;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  return {
    async run<T>(work: () => T | Promise<T>, leaseMs = 60_000): Promise<T> {
      // Waiting is bounded by rounds as well as by the clock: where the clock stands still
      // (Cloudflare, a test freezing Date.now) a waiter still gets its turn after the lease,
      // and a pause is one sleep, however little the clock moved meanwhile.
      let paused = false;
      for (let round = 0; ; round++) {
        const now = clock();
        const held = now < heldUntil && round * RECHECK_MS < heldLease;
        if (!held && (paused || now >= nextStart)) break;
        if (held) await sleep(RECHECK_MS);
        else {
          await sleep(Math.max(1, nextStart - now));
          paused = true;
        }
      }
      const started = clock();
      heldUntil = started + leaseMs;
      heldLease = leaseMs;
      try {
        return await work();
      } finally {
        const ended = clock();
        heldUntil = 0;
        nextStart = ended - started > LONG_CALL_MS ? ended + Math.min(ended - started, MAX_PAUSE_MS) : 0;
      }
    },
  };
}

/** The isolate's gate, shared by the code builtin and WASM components. */
export const syncGate: SyncGate = createSyncGate();
