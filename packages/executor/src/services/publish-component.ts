/**
 * Publishing a component at run time: `{contract, wasm: base64}` → checked → stored in R2.
 * Every check runs before anything is written, so a refused publish changes nothing:
 * contract (422 invalid_contract), name (422 name_mismatch), name taken by a builtin or bundled
 * component (409 component_exists), module bytes without compiling them (size, format, imports,
 * fuel metering verified instruction by instruction, memory maximum within the contract's
 * memory_pages: core's checkModuleBytes), then the module loaded for real through the Worker
 * Loader (workerd compiles it and the host repeats the checks on the compiled module).
 */
import { ApiErrorBodySchema, ArcrunError, base64ToBytes, isErrorCode, checkModuleBytes, COMPONENT_NAME, arcrunError, parseContract, sha256Hex, type ComponentPublish, type Contract } from "@arcrun/core";
import { R2ComponentStore, type PublishedManifest } from "../bindings/r2-component-store";
import { shippedComponent } from "../components/catalog";
import { forgetManifest, loadedWorker, type LoaderBindings } from "../components/loader";
import type { Env } from "../env";

export interface PublishResult {
  manifest: PublishedManifest;
  replaced: boolean;
}

const SHAPE_HINT = 'Send JSON {"contract": {...contract.yaml as JSON...}, "wasm": "<base64 of build/<name>.wasm>"}; `acr parts publish <dir>` does it for you.';

export function loaderBindings(env: Env): LoaderBindings {
  if (!env.WASM_BUCKET || !env.LOADER) {
    throw arcrunError("not_configured", "This executor has no WASM_BUCKET or LOADER binding, so components cannot be published to it.", {
      hint: "Bind the R2 bucket WASM_BUCKET and the Worker Loader LOADER in wrangler.jsonc (the local server has both).",
    });
  }
  return { WASM_BUCKET: env.WASM_BUCKET, LOADER: env.LOADER };
}

/** What the route answers when the body does not match core's ComponentPublishSchema. */
export const PUBLISH_REFUSAL = { message: "PUT /components/:name needs a JSON object with a `contract` object and a `wasm` string.", hint: SHAPE_HINT };

export async function publishComponent(env: Env, name: string, body: ComponentPublish): Promise<PublishResult> {
  const bindings = loaderBindings(env);
  const contract = checkContract(body.contract, name);
  const taken = shippedComponent(contract.name);
  if (taken) {
    throw arcrunError("component_exists", `"${name}" is a ${taken.source} component of this executor; a published module could never replace it.`, {
      hint: `Rename yours (name: my_${name} in contract.yaml and the folder), then publish again.`,
      details: { component: name, source: taken.source },
    });
  }
  const bytes = base64ToBytes(body.wasm);
  if (!bytes) {
    throw arcrunError("invalid_module", "`wasm` is not standard base64 (A–Z a–z 0–9 + /, padded with =, no line breaks).", {
      hint: SHAPE_HINT,
      details: { component: name },
    });
  }
  checkModuleBytes(bytes, name, { memoryPages: contract.limits?.memory_pages });
  const sha256 = await sha256Hex(bytes);
  await checkInLoader(bindings, { name, sha256 }, bytes);

  const manifest: PublishedManifest = { name, version: contract.version, sha256, bytes: bytes.length, published_at: new Date().toISOString(), contract };
  const { previous } = await new R2ComponentStore(bindings.WASM_BUCKET).publish(manifest, bytes);
  forgetManifest(name);
  return { manifest, replaced: previous !== undefined };
}

function checkContract(value: unknown, name: string): Contract {
  let contract: Contract;
  try {
    contract = parseContract(value, `contract of ${name}`);
  } catch (error) {
    if (!(error instanceof ArcrunError)) throw error;
    const problems = (error.details as { problems?: string[] } | undefined)?.problems ?? [error.message];
    throw arcrunError("invalid_contract", error.message, { hint: error.hint, details: { component: name, errors: problems } });
  }
  if (contract.name !== name) {
    throw arcrunError("name_mismatch", `The URL says "${name}" but the contract's name is "${contract.name}".`, {
      hint: COMPONENT_NAME.test(name) ? `PUT /components/${contract.name}, or set name: ${name} in contract.yaml.` : `PUT /components/${contract.name}.`,
      details: { component: name, contract_name: contract.name },
    });
  }
  return contract;
}

/** Loads the module the way runs will (same isolate id, so the first run finds it warm). */
async function checkInLoader(bindings: LoaderBindings, id: { name: string; sha256: string }, bytes: Uint8Array): Promise<void> {
  const copy = bytes.slice().buffer as ArrayBuffer;
  let response: Response;
  try {
    response = await loadedWorker(bindings, id, copy).getEntrypoint().fetch("http://component/check", { method: "POST", body: JSON.stringify({ component: id.name }) });
  } catch (error) {
    throw arcrunError("invalid_module", `Component "${id.name}" could not be loaded: ${(error as Error)?.message ?? String(error)}.`, {
      hint: "Send the .wasm file the build wrote (build/<name>.wasm), unchanged; `acr parts build` rebuilds it.",
      details: { component: id.name },
    });
  }
  if (response.ok) return;
  const refused = ApiErrorBodySchema.safeParse(await response.json().catch(() => undefined));
  const error = refused.success ? refused.data.error : undefined;
  // the loader host answers with core's own checks (invalid_module, forbidden_import, ...); anything else is invalid_module
  throw arcrunError(isErrorCode(error?.code) ? error.code : "invalid_module", error?.message ?? `Component "${id.name}" was refused by the loader host (HTTP ${response.status}).`, {
    hint: error?.hint,
    details: { component: id.name },
  });
}
