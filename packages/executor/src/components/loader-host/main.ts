/**
 * The Worker that runs one published component inside the Worker Loader (a separate isolate,
 * network cut off with `globalOutbound: null`). packages/local/src/build/executor.mjs bundles this file
 * into a string module (`loader-host.generated.ts`); the executor hands that string to
 * `env.LOADER.get` next to the component's bytes as `component.wasm`, which workerd compiles
 * when it loads the isolate — the one place a module read from R2 may be compiled.
 *
 *   POST /run    {component, params, limits} → ModuleCallResult {outcome, logs}
 *   POST /check  {component}                 → 200 {ok: true} | 422 {error}   (publish-time check)
 */
import component from "./component.wasm";
import { checkModule } from "@arcrun/core/wasi/allow-list";
import { callModule, type ModuleCallRequest } from "@arcrun/core/wasi/call";
import { ArcrunError } from "@arcrun/core/errors";

// The same checks the in-process host makes, once per isolate, on the module workerd compiled.
let checked: ArcrunError | null | undefined;
function checkOnce(name: string): ArcrunError | null {
  if (checked === undefined) {
    try {
      checkModule(component, name);
      checked = null;
    } catch (error) {
      if (!(error instanceof ArcrunError)) throw error;
      checked = error;
    }
  }
  return checked;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const body = (await request.json()) as ModuleCallRequest;
    const refused = checkOnce(body.component);
    if (path === "/check") {
      return refused ? Response.json(refused.toBody(), { status: 422 }) : Response.json({ ok: true });
    }
    if (refused) return Response.json({ outcome: { success: false, error: { code: refused.code, message: refused.message } }, logs: [] });
    return Response.json(callModule(component, body));
  },
};
