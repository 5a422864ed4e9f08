/** RunHooks that write down every call, in order (tests; a model for hooks that collect). */
import type { NodeTrace, RunRecord } from "../../run/schema";
import type { RunHooks } from "../run-hooks";

export type HookEvent =
  | { hook: "runStarted"; run: RunRecord }
  | { hook: "nodeFinished"; runId: string; trace: NodeTrace }
  | { hook: "runFinished"; run: RunRecord };

export function recordingHooks(): RunHooks & { events: HookEvent[] } {
  const events: HookEvent[] = [];
  return {
    events,
    runStarted: (run) => void events.push({ hook: "runStarted", run }),
    nodeFinished: (runId, trace) => void events.push({ hook: "nodeFinished", runId, trace }),
    runFinished: (run) => void events.push({ hook: "runFinished", run }),
  };
}
