/**
 * Sandbox acceptance of a submission (issue 14 § 2): every step runs for real and reports its
 * figures; a step that cannot run because an earlier one failed is reported as skipped.
 *
 *   contract        the contract format (core's parseContract)
 *   size            the module within MAX_MODULE_BYTES, the cap every published module shares
 *   imports         imports within the allow-list, fuel metering verified instruction by instruction,
 *                   memory maximum within the contract's limits.memory_pages (core's checkModuleBytes)
 *   cold_start      COLD_LOADS fresh isolates through the Worker Loader, each timed until its host
 *                   answers `/check` (workerd compiled the module, the host repeated the checks);
 *                   refused when the median is over COLD_START_MAX_MS
 *   features        every Gherkin scenario run against the module inside the loader; all must pass
 *   config_example  the contract's config_example run as the input (templates become samples of
 *                   the type input_schema declares); refused when the run traps, times out,
 *                   answers unreadable output or the example does not fit input_schema
 *
 * A first-party submission (admin only: the local server registering the standard library) runs
 * the static steps and reports the sandbox steps as not repeated (SubmitRequest.first_party).
 *
 * Nothing here stores anything; the caller stores an accepted submission.
 */
import { ApiErrorBodySchema, ArcrunError, base64ToBytes, checkModuleBytes, MAX_MODULE_BYTES, moduleComponent, parseContract, sha256Hex, resolveLimits, type Component, type Contract, type NodeContext } from "@arcrun/core";
import { runFeatures } from "@arcrun/core/features/index";
import type { AcceptanceReport, AcceptanceStep, AcceptanceStepName, SubmitRequest } from "@arcrun/core/registry/api";
import { callLoadedWorker, loadedWorker, type LoaderBindings } from "@arcrun/executor/components/loader";
import { sampleParams } from "./sample";

/** Fresh loads measured per submission. */
export const COLD_LOADS = 5;
/** A submission whose median cold start (fresh isolate, module compiled, host answering) is over this is refused. */
export const COLD_START_MAX_MS = 500;

export interface Accepted {
  report: AcceptanceReport;
  /** set when every step passed */
  module?: { contract: Contract; bytes: Uint8Array; sha256: string };
}

/** What a first-party submission's sandbox steps report (SubmitRequest.first_party). */
export const FIRST_PARTY_NOTE = "not repeated for arcrun's own standard library: its features run against this module in arcrun's test suite";
const SANDBOX_STEPS = ["cold_start", "features", "config_example"] as const;

export async function acceptSubmission(loader: Pick<LoaderBindings, "LOADER">, submission: SubmitRequest, { coldStartMaxMs = COLD_START_MAX_MS } = {}): Promise<Accepted> {
  const steps: AcceptanceStep[] = [];
  const pass = (step: AcceptanceStepName, figures: Record<string, unknown>) => steps.push({ step, passed: true, figures });
  const fail = (step: AcceptanceStepName, figures: Record<string, unknown>, error: { code: string; message: string; hint?: string }) =>
    steps.push({ step, passed: false, figures, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
  const skip = (step: AcceptanceStepName, why: string) => steps.push({ step, passed: false, figures: { skipped: why } });
  const report = (): AcceptanceReport => ({ passed: steps.every((s) => s.passed), steps });

  // contract
  let contract: Contract | undefined;
  try {
    contract = parseContract(submission.contract, "the submitted contract");
    pass("contract", { name: contract.name, version: contract.version });
  } catch (error) {
    if (!(error instanceof ArcrunError)) throw error;
    fail("contract", { problems: (error.details as { problems?: string[] } | undefined)?.problems ?? [error.message] }, { code: "invalid_contract", message: error.message, hint: error.hint });
  }
  const name = contract?.name ?? "submission";

  // size
  const bytes = base64ToBytes(submission.wasm);
  if (!bytes) {
    fail("size", {}, { code: "invalid_module", message: "`wasm` is not standard base64 (A–Z a–z 0–9 + /, padded with =, no line breaks).", hint: "Send build/<name>.wasm, base64-encoded." });
  } else if (bytes.length > MAX_MODULE_BYTES) {
    fail("size", { bytes: bytes.length, cap: MAX_MODULE_BYTES }, { code: "module_too_large", message: `The module is ${bytes.length} bytes; the cap is ${MAX_MODULE_BYTES}.`, hint: "Make it smaller: build with optimisation (-O3 / --optimize), drop unused code and large tables." });
  } else {
    pass("size", { bytes: bytes.length, cap: MAX_MODULE_BYTES });
  }
  const sized = bytes && bytes.length <= MAX_MODULE_BYTES ? bytes : undefined;

  // imports, metering, memory maximum
  const memoryPages = contract?.limits?.memory_pages;
  let checked = false;
  if (!sized) skip("imports", "the module did not pass the size step");
  else {
    try {
      const shape = checkModuleBytes(sized, name, { memoryPages });
      checked = true;
      pass("imports", {
        imports: shape.imports.map((i) => `${i.module}.${i.name}`),
        metering: "verified: every loop and recursion point carries the fuel check",
        memory_cap_pages: memoryPages ?? "default",
      });
    } catch (error) {
      if (!(error instanceof ArcrunError)) throw error;
      fail("imports", { ...(error.details as object) }, error);
    }
  }

  const sha256 = sized ? await sha256Hex(sized) : "";
  if (submission.first_party) {
    // the caller is the admin (routes/submit.ts); the module passed the static checks or it fails here
    for (const step of SANDBOX_STEPS) {
      if (!checked) skip(step, "the module did not pass the imports step");
      else if (step === "features" && submission.features.length === 0) fail(step, { scenarios: [] }, { code: "no_features", message: "The submission has no feature files.", hint: "Submit the component's features/*.feature files with it." });
      else if (step === "config_example" && !contract?.config_example) fail(step, {}, { code: "invalid_contract", message: "The contract has no config_example.", hint: "Add config_example: the parameters of a typical node using the component." });
      else pass(step, { first_party: FIRST_PARTY_NOTE });
    }
    const done = report();
    return done.passed && contract && sized ? { report: done, module: { contract, bytes: sized, sha256 } } : { report: done };
  }

  // cold start
  let loaded = false;
  if (!checked || !sized) skip("cold_start", "the module did not pass the imports step");
  else {
    const measured = await coldStarts(loader, name, sha256, sized, coldStartMaxMs);
    if (measured.error) fail("cold_start", measured.figures, measured.error);
    else if (measured.figures.median_ms! > coldStartMaxMs) {
      fail("cold_start", measured.figures, {
        code: "cold_start_too_slow",
        message: `The median cold start is ${measured.figures.median_ms} ms; the threshold is ${coldStartMaxMs} ms.`,
        hint: "Make the module smaller or its start-up cheaper (no large data segments, no work in the start function).",
      });
    } else {
      loaded = true;
      pass("cold_start", measured.figures);
    }
  }

  // features and config_example, against the module inside the loader
  const component = contract && sized && loaded ? loaderComponent(loader, contract, sha256, sized) : undefined;
  if (submission.features.length === 0) {
    fail("features", { scenarios: [] }, { code: "no_features", message: "The submission has no feature files.", hint: "Add features/*.feature files (Given the input / When the component runs / Then the output is) and submit them with the module." });
  } else if (!component) skip("features", contract ? "the module did not load" : "the contract is invalid");
  else {
    const summary = await runFeatures({ component, features: submission.features.map((f) => ({ uri: f.path, text: f.text })) });
    const scenarios = summary.results.map((r) => ({ feature: r.uri, name: r.name, line: r.line, status: r.status, duration_ms: round(r.durationMs), ...(r.error ? { error: r.error } : {}) }));
    const figures = { passed: summary.passed, failed: summary.failed, scenarios };
    if (summary.results.length === 0) fail("features", figures, { code: "no_features", message: "The feature files hold no scenario.", hint: "Add at least one Scenario to a feature file." });
    else if (summary.failed > 0) fail("features", figures, { code: "scenario_failed", message: `${summary.failed} of ${summary.results.length} scenarios failed.`, hint: "Run the features locally (`acr parts test <dir>`) and fix the module or the expectation each failing scenario names." });
    else pass("features", figures);
  }

  if (!contract) skip("config_example", "the contract is invalid");
  else if (!contract.config_example) fail("config_example", {}, { code: "invalid_contract", message: "The contract has no config_example.", hint: "Add config_example: the parameters of a typical node using the component." });
  else if (!component) skip("config_example", "the module did not load");
  else {
    const params = sampleParams(contract.config_example, contract.input_schema, contract.credentials_required);
    const started = performance.now();
    const outcome = await component.run(structuredClone(params), exampleContext(contract));
    const figures = { params, outcome: outcome.success ? "success" : outcome.error.code, duration_ms: round(performance.now() - started) };
    if (outcome.success || !CRASHES.has(outcome.error.code)) pass("config_example", figures);
    else fail("config_example", { ...figures, message: outcome.error.message }, { code: "config_example_failed", message: `The config_example ended as ${outcome.error.code}: ${outcome.error.message}`, hint: "Make config_example fit input_schema (template values are replaced by samples of the declared type) and the module answer it without crashing." });
  }

  const done = report();
  return done.passed && contract && sized ? { report: done, module: { contract, bytes: sized, sha256 } } : { report: done };
}

/** How a run of the config_example may not end: the example does not fit the schema, or the module crashed. */
const CRASHES = new Set(["invalid_input", "component_trap", "timeout", "invalid_output", "memory_limit", "output_too_large", "component_unavailable"]);

function exampleContext(contract: Contract): NodeContext {
  return {
    runId: "acceptance",
    node: contract.name,
    attempt: 1,
    limits: resolveLimits(contract.limits, {}),
    signal: new AbortController().signal,
    egress: [],
    fetch: async () => {
      throw new Error("acceptance runs have no network");
    },
    upstream: {},
    log: () => {},
  };
}

interface ColdStarts {
  figures: { loads: number; median_ms?: number; max_ms?: number; threshold_ms?: number; samples_ms?: number[] };
  error?: { code: string; message: string; hint?: string };
}

async function coldStarts(loader: Pick<LoaderBindings, "LOADER">, name: string, sha256: string, bytes: Uint8Array, thresholdMs: number): Promise<ColdStarts> {
  const nonce = crypto.randomUUID();
  const samples: number[] = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const started = performance.now();
    let response: Response;
    try {
      const worker = loadedWorker(bindings(loader), { name: `accept-cold-${nonce}-${i}-${name}`, sha256 }, bytes.slice().buffer as ArrayBuffer);
      response = await worker.getEntrypoint().fetch("http://component/check", { method: "POST", body: JSON.stringify({ component: name }) });
    } catch (error) {
      return { figures: { loads: i }, error: { code: "invalid_module", message: `The module could not be loaded through the Worker Loader: ${(error as Error)?.message ?? String(error)}.`, hint: "Send the .wasm file the build wrote, unchanged; `acr parts build` rebuilds it." } };
    }
    if (!response.ok) {
      const refused = ApiErrorBodySchema.safeParse(await response.json().catch(() => undefined));
      const e = refused.success ? refused.data.error : { code: "invalid_module", message: `The loader host refused the module (HTTP ${response.status}).` };
      return { figures: { loads: i }, error: { code: e.code, message: e.message, hint: e.hint } };
    }
    await response.arrayBuffer();
    samples.push(performance.now() - started);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { figures: { loads: COLD_LOADS, median_ms: round(median), max_ms: round(sorted[sorted.length - 1]), threshold_ms: thresholdMs, samples_ms: samples.map(round) } };
}

/** The submitted module as a Component whose every call goes to one isolate of the loader. */
function loaderComponent(loader: Pick<LoaderBindings, "LOADER">, contract: Contract, sha256: string, bytes: Uint8Array): Component {
  const id = { name: `accept-run-${crypto.randomUUID()}-${contract.name}`, sha256 };
  const buffer = bytes.slice().buffer as ArrayBuffer;
  return moduleComponent(contract, async (request) => {
    try {
      return await callLoadedWorker(loadedWorker(bindings(loader), id, buffer), request);
    } catch (error) {
      return { outcome: { success: false, error: { code: "component_unavailable", message: `The loader could not run the module: ${(error as Error)?.message ?? String(error)}` } }, logs: [] };
    }
  });
}

/** The loader helpers read WASM_BUCKET only when no bytes are given; acceptance always gives them. */
const bindings = (loader: Pick<LoaderBindings, "LOADER">): LoaderBindings => ({ LOADER: loader.LOADER, WASM_BUCKET: undefined as unknown as R2Bucket });

const round = (ms: number) => Math.round(ms * 100) / 100;

