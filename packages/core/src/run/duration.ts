/**
 * Durations as workflows write them: `"30s"`, `"10m"`, `"2d"`, `"1h30m"`, `"500ms"`, `"1w"`
 * (units ms, s, m, h, d, w; parts add up). Used by the waiting builtins (builtins/wait.ts).
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** The longest wait a workflow may ask for (issue 13 § Bad input). */
export const MAX_WAIT_MS = 365 * UNIT_MS.d;

export const DURATION_HINT = 'write a duration such as "30s", "10m", "2h", "1d" or "1h30m" (units ms, s, m, h, d, w), at most 365 days';

/** milliseconds, or undefined when `text` is not a duration */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit];
  return Math.round(ms);
}

/** The problem with a duration parameter, or undefined when it is fine. */
export function durationProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== "string") return `${what} must be a duration text such as "10m"`;
  const ms = parseDuration(value);
  if (ms === undefined) return `${what}: ${JSON.stringify(value.slice(0, 40))} is not a duration`;
  if (ms > MAX_WAIT_MS) return `${what}: ${value} is longer than 365 days`;
  return undefined;
}
