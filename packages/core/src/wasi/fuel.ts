// Fuel: the build (packages/local/src/build/meter.mjs) injects a counter decremented at every loop
// iteration and at the entry of every function that can recurse; the module traps when it is
// spent. Counting work instead of reading a clock is what stops `loop {}` on Cloudflare, where
// clocks stand still during synchronous work (DESIGN § Runtime facts).

/**
 * Fuel units per millisecond of `limits.timeout_ms`. Calibrated with
 * `npx tsx packages/local/src/build/calibrate-fuel.ts` (Node 20 / V8, 2 shared cores):
 *   JSON and string work (what components do)   ~150–165k units/ms
 *   recursion (fib)                              ~530k units/ms
 *   a tight numeric loop                         ~150k (baseline tier) to ~1.1M (optimized) units/ms
 * The figure follows real component work, so a node gets about its stated time; a runaway
 * tight loop is stopped sooner (a 30 s limit stops `loop {}` after roughly 4 s).
 */
export const FUEL_PER_MS = 150_000;

/** The fuel budget for a node time limit. */
export function fuelFor(timeoutMs: number): bigint {
  return BigInt(Math.max(1, Math.ceil(timeoutMs * FUEL_PER_MS)));
}
