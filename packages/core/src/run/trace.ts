/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a run has one trace id, taken
 * from the trigger's `traceparent` or made new, and each node a span id of its own; outbound
 * calls of http_request and recipes carry `traceparent: 00-<trace id>-<span id>-01`.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace id of an incoming `traceparent` header, or undefined when it is absent or malformed (then a new trace starts). */
export function traceIdFrom(header: string | null | undefined): string | undefined {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!match || match[1] === "ff" || /^0+$/.test(match[2]) || /^0+$/.test(match[3])) return undefined;
  return match[2];
}

export function newTraceId(): string {
  return randomHex(16);
}

export function newSpanId(): string {
  return randomHex(8);
}

export function traceparentOf(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
/** Random bytes drawn in bulk: one getRandomValues call serves many span ids (one per node). */
const pool = new Uint8Array(1024);
let used = pool.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (used + bytes > pool.length) {
      crypto.getRandomValues(pool);
      used = 0;
    }
    let hex = "";
    let any = 0;
    for (let i = used; i < used + bytes; i++) {
      hex += HEX[pool[i]];
      any |= pool[i];
    }
    used += bytes;
    if (any !== 0) return hex; // all zeros is invalid in both fields
  }
}
