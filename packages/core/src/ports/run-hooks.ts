/**
 * Lifecycle hooks the scheduler calls (n8n's ExecutionLifecycleHooks). The executor hangs the
 * run log, the run store and, later, registry statistics and traces off them; core never logs
 * or stores by itself. A hook that rejects rejects the run's promise.
 */
import type { NodeTrace, RunRecord, RunWaiting } from "../run/schema";

export interface RunHooks {
  runStarted?(run: RunRecord): void | Promise<void>;
  nodeFinished?(runId: string, trace: NodeTrace): void | Promise<void>;
  runFinished?(run: RunRecord): void | Promise<void>;
  /** a durable run starts waiting (`waiting`), or goes on after a wait (undefined) */
  runWaiting?(runId: string, waiting: RunWaiting | undefined): void | Promise<void>;
}

/** Calls each set of hooks in order, awaiting each before the next (only a hook that returned a promise costs a turn). */
export function combineHooks(...all: (RunHooks | undefined)[]): RunHooks {
  const hooks = all.filter((h): h is RunHooks => h !== undefined);
  const each = async (call: (h: RunHooks) => void | Promise<void>) => {
    for (const h of hooks) {
      const pending = call(h);
      if (pending) await pending;
    }
  };
  return {
    runStarted: (run) => each((h) => h.runStarted?.(run)),
    nodeFinished: (runId, trace) => each((h) => h.nodeFinished?.(runId, trace)),
    runFinished: (run) => each((h) => h.runFinished?.(run)),
    runWaiting: (runId, waiting) => each((h) => h.runWaiting?.(runId, waiting)),
  };
}
