// Fuel: the build (scripts/build/10-components.mjs) injects a counter decremented at every
// function entry, loop iteration and return; the module traps when it goes below zero. Counting
// work instead of reading a clock is what stops `loop {}` on Cloudflare, where clocks stand
// still during synchronous work (DESIGN § Runtime facts).

/**
 * Fuel units per millisecond of `limits.timeout_ms`. Calibrated in Node 20 (V8) on the
 * reference 2-core machine with `node scripts/components/calibrate-fuel.mjs`: a tight metered
 * loop burns ~250k units/ms, JSON-heavy AssemblyScript code (parsing, string building)
 * ~60–120k units/ms. 100k units per ms keeps tight loops near their budget (a 1 s limit stops
 * `loop {}` after ~0.4 s) while ordinary components get at least their stated time.
 */
export const FUEL_PER_MS = 300_000;

/** The fuel budget for a node time limit. */
export function fuelFor(timeoutMs: number): bigint {
  return BigInt(Math.max(1, Math.ceil(timeoutMs * FUEL_PER_MS)));
}
