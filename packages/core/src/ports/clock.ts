/**
 * Wall-clock time for run timestamps and durations (started_at, duration_ms, created_at).
 * Not for CPU budgets: deployed Workers advance the clock only after I/O (DESIGN § Runtime
 * facts), so synchronous work is limited by counting, never by a Clock.
 */

export interface Clock {
  /** milliseconds since the Unix epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The clock's time as an ISO 8601 timestamp (`2026-12-01T22:10:00.000Z`). */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
