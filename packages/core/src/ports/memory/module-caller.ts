/** The in-process ModuleCaller: the compiled module runs in this isolate through core's WASI host (no Worker Loader). */
import { callModule } from "../../wasi/call";
import type { ModuleCaller } from "../component-resolver";

export function inProcessModuleCaller(module: WebAssembly.Module): ModuleCaller {
  return async (request) => callModule(module, request);
}
