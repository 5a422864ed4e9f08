/**
 * The HTTP answer of a synchronous trigger (DESIGN § Wave 2 decisions: "A `respond` node makes a
 * sync trigger answer like an API"): the response a succeeded `respond` node described (the
 * last in the flow's order when several did); undefined when none did (the route answers the run record).
 */
import type { ResponseSpec } from "../builtins/respond";
import type { RunRecord } from "./schema";

export const RESPOND_COMPONENT = "respond";

export function runResponse(run: Pick<RunRecord, "nodes">): ResponseSpec | undefined {
  for (let i = run.nodes.length - 1; i >= 0; i--) {
    const trace = run.nodes[i];
    if (trace.component === RESPOND_COMPONENT && trace.status === "succeeded" && isSpec(trace.output)) return trace.output;
  }
  return undefined;
}

/** The body as bytes on the wire and its default content type. */
export function responseBody(spec: ResponseSpec): { text: string; contentType: string } {
  if (typeof spec.body === "string") return { text: spec.body, contentType: "text/plain; charset=utf-8" };
  return { text: JSON.stringify(spec.body), contentType: "application/json" };
}

function isSpec(value: unknown): value is ResponseSpec {
  return typeof value === "object" && value !== null && typeof (value as ResponseSpec).status === "number";
}
