/** Per-node limits: engine defaults ← component contract ← node `limits`, later wins. */
import type { ResolvedLimits } from "../components/types";

export const DEFAULT_LIMITS: ResolvedLimits = {
  timeout_ms: 30_000,
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

/** Delay before retry number `retry` (1-based): backoff_ms · 2^(retry-1). */
export function backoffDelay(limits: ResolvedLimits, retry: number): number {
  return limits.backoff_ms * 2 ** (retry - 1);
}

/** JSON byte length (UTF-8) of a value; throws when it is not JSON-serializable. */
export function jsonByteLength(value: unknown): number {
  const text = JSON.stringify(value ?? null);
  return new TextEncoder().encode(text).length;
}
