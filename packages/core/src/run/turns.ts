/**
 * Turns of the event loop between nodes. Settled promises chain as microtasks, so a run whose
 * nodes finish at once (logic, transforms, many small nodes) would otherwise hold its isolate
 * from the first node to the last; local workerd serves every request on one thread, so
 * /health and every other run would wait for it (DESIGN § Runtime facts).
 *
 * `next()` resolves on a later turn (a 0 ms timer) once `sliceMs` have passed since the last
 * turn, and at once otherwise, so a fast run pays for a timer only every few milliseconds. The
 * clock decides only when to give way, never how much work a node may do; on Cloudflare, where
 * the clock stands still during synchronous work, it rarely gives way, which costs nothing there.
 */
export const TURN_SLICE_MS = 5;

export function eventLoopTurns(sliceMs = TURN_SLICE_MS, clock: () => number = () => Date.now()) {
  let last = clock();
  return {
    next(): Promise<void> {
      if (clock() - last < sliceMs) return Promise.resolve();
      return new Promise((resolve) =>
        setTimeout(() => {
          last = clock();
          resolve();
        }, 0),
      );
    },
  };
}
