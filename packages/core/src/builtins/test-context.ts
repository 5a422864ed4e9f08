/** A NodeContext for calling a component directly in tests. */
import type { NodeContext, ResolvedLimits } from "../components/types";
import { DEFAULT_LIMITS } from "../run/limits";

export function testContext(overrides: Partial<Omit<NodeContext, "limits">> & { limits?: Partial<ResolvedLimits> } = {}): NodeContext & { lines: string[] } {
  const lines: string[] = [];
  const { limits, ...rest } = overrides;
  return {
    runId: "run",
    node: "node",
    attempt: 1,
    signal: new AbortController().signal,
    egress: [],
    fetch: (...args) => fetch(...args),
    upstream: {},
    log: (line) => lines.push(line),
    ...rest,
    limits: { ...DEFAULT_LIMITS, ...limits },
    lines,
  };
}
