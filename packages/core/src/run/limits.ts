/** Per-node limits: engine defaults ← component contract ← node `limits`, later wins. */
import type { ResolvedLimits } from "../components/types";
import { jsonOf } from "../json/known";

/**
 * Work budget of a synchronous sandbox (the `code` node's QuickJS, a WASM component), in
 * milliseconds of work: counted (QuickJS interrupt checks, WASM fuel), never read from a clock.
 * Small on purpose: local workerd serves every request on one thread, so a node working for
 * N ms holds /health and every other run for N ms (DESIGN § Runtime facts). A node or a
 * contract opts in to more with `limits.cpu_ms` (up to MAX_CPU_MS), and pays that stall locally.
 */
export const DEFAULT_CPU_MS = 100;
/** The most `limits.cpu_ms` may ask for (Cloudflare's default CPU limit of a request). */
export const MAX_CPU_MS = 30_000;

export const DEFAULT_LIMITS: ResolvedLimits = {
  timeout_ms: 10_000,
  cpu_ms: DEFAULT_CPU_MS,
  max_output_bytes: 1024 * 1024,
  retries: 0,
  backoff_ms: 200,
};

export function resolveLimits(...layers: (Partial<ResolvedLimits> | undefined)[]): ResolvedLimits {
  const limits: ResolvedLimits = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as [keyof ResolvedLimits, number | undefined][]) {
      if (typeof value === "number" && Number.isFinite(value)) limits[key] = value;
    }
  }
  return limits;
}

/**
 * How many milliseconds of work a synchronous sandbox may do: `cpu_ms`, and never more than the
 * node's `timeout_ms` (a node told to finish within 50 ms gets 50 ms of work).
 */
export function workBudgetMs(limits: Pick<ResolvedLimits, "timeout_ms" | "cpu_ms">): number {
  return Math.min(limits.timeout_ms, limits.cpu_ms ?? DEFAULT_CPU_MS);
}

/** Delay before retry number `retry` (1-based): backoff_ms · 2^(retry-1). */
export function backoffDelay(limits: ResolvedLimits, retry: number): number {
  return limits.backoff_ms * 2 ** (retry - 1);
}

/**
 * A value's JSON size in UTF-8 bytes when it is over `limit`, undefined when it fits; throws when
 * the value is not JSON. A UTF-16 unit is at most 3 UTF-8 bytes, so a text of at most limit / 3
 * units fits without being counted: the usual node output is never walked character by character.
 */
export function jsonBytesOver(value: unknown, limit: number): number | undefined {
  const text = jsonOf(value);
  if (text.length * 3 <= limit) return undefined;
  const bytes = utf8ByteLength(text);
  return bytes > limit ? bytes : undefined;
}

/** What `new TextEncoder().encode(text).length` is, counted without encoding (every node output is measured). */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 units
      i++;
    } else bytes += 2; // 3 bytes (a lone surrogate is encoded as U+FFFD, also 3)
  }
  return bytes;
}
