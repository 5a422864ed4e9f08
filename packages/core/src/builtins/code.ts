/**
 * `code`: JavaScript in a QuickJS sandbox (WASM). Param `code` is a function body with
 * `input` (the node's `input` param, JSON) in scope; what it returns is the node's data.
 *
 *   shape:
 *     component: code
 *     input: {user: "{{input.user}}"}
 *     code: "return { greeting: 'hi ' + input.user.name }"
 *
 * Isolation: a fresh context (its own global object) for every execution and no host functions
 * at all; console.* is collected inside the sandbox and becomes the node log. The QuickJS module
 * and one runtime (heap, GC, limits) are kept per isolate and reused across nodes and runs — a new
 * runtime costs more than the eval of a small node; executions never overlap (the sync gate), and
 * a runtime that hit its memory or work limit, or whose host failed, is thrown away.
 *
 * Time: Workers freeze the clock during synchronous work, so the interrupt handler COUNTS
 * its calls (15–28 per ms of busy JS in workerd, slower while V8 has not tiered QuickJS up)
 * against the node's work budget (`limits.cpu_ms`, 100 ms by default, never more than its
 * timeout; the `timeout_ms` parameter lowers it further), and also checks a clock deadline
 * (effective wherever the clock runs, e.g. locally). Whichever trips first ends the node with
 * `timeout`. The budget is small because local workerd serves every request on one thread.
 * Memory: runtime.setMemoryLimit (64 MiB, or limits.memory_pages × 64 KiB) → `memory_limit`.
 */
import type { QuickJSContext, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Component, NodeContext, NodeOutcome } from "../components/types";
import { workBudgetMs } from "../run/limits";
import { syncGate } from "../run/sync-gate";

export interface CodeDeps {
  loadQuickJS: () => Promise<QuickJSWASMModule>;
}

/** Interrupt-handler calls per millisecond of busy JavaScript (workerd: 2000 calls ≈ 130 ms). */
export const INTERRUPTS_PER_MS = 15;
export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
/** The clock backstop: CLOCK_FACTOR × the work budget, at least CLOCK_FLOOR_MS, at most timeout_ms. */
export const CLOCK_FACTOR = 3;
export const CLOCK_FLOOR_MS = 300;
/** QuickJS's own stack cap; larger values overflow the host stack before QuickJS notices. */
const MAX_STACK_BYTES = 256 * 1024;
const MAX_LOG_LINES = 200;
const FILE = "code.js";
/** the wrapper adds one line before the user's code; error lines are shifted back by it */
const WRAPPER_LINES = 1;

export function createCodeComponent(deps: CodeDeps): Component {
  let module: Promise<QuickJSWASMModule> | undefined;
  const load = () =>
    (module ??= deps.loadQuickJS().catch((error) => {
      module = undefined;
      throw error;
    }));
  /** Forget the module after the host itself failed inside it; the next run loads a fresh one. */
  const discard = () => {
    module = undefined;
    runtimes.runtime = undefined;
  };
  const runtimes: RuntimeSlot = {};

  return {
    name: "code",
    kind: "builtin",
    contract: {
      name: "code",
      version: "1.0.0",
      description: "Run JavaScript in a QuickJS sandbox with `input` in scope; the return value is the data",
      category: "transform",
      input_schema: { type: "object", required: ["code"], properties: { code: { type: "string" }, input: {}, timeout_ms: {} } },
    },
    async run(params, ctx) {
      if (typeof params.code !== "string") {
        return fail("invalid_input", 'code needs a "code" parameter: a function body such as "return { total: input.a + input.b }"');
      }
      let inputJson: string;
      try {
        inputJson = JSON.stringify(params.input ?? null);
      } catch (error) {
        return fail("invalid_input", `the "input" parameter is not JSON: ${(error as Error).message}`);
      }
      let quickjs: QuickJSWASMModule;
      try {
        quickjs = await load();
      } catch (error) {
        return fail("internal_error", `QuickJS could not be loaded: ${(error as Error).message}`);
      }
      const source = params.code;
      // one synchronous sandbox call at a time per isolate (see run/sync-gate.ts)
      const outcome = await syncGate.run(() => execute({ quickjs, slot: runtimes }, source, inputJson, params.timeout_ms, ctx));
      if (outcome.hostFailed) discard();
      return outcome.result;
    },
  };
}

/** The runtime kept for the next execution (undefined: make one). */
interface RuntimeSlot {
  runtime?: QuickJSRuntime;
  quickjs?: QuickJSWASMModule;
}

/** Outcomes after which the runtime is not reused: its heap or state may be in a bad way. */
const DROP_RUNTIME_AFTER = new Set(["timeout", "memory_limit", "internal_error"]);

function execute({ quickjs, slot }: { quickjs: QuickJSWASMModule; slot: RuntimeSlot }, code: string, inputJson: string, timeoutParam: unknown, ctx: NodeContext) {
  const lower = (ms: number) => (typeof timeoutParam === "number" && timeoutParam > 0 ? Math.min(timeoutParam, ms) : ms);
  // counted work is the budget everywhere; the clock (running locally only) is a backstop at
  // CLOCK_FACTOR × the budget: the interrupt rate drops 5–10× while V8 has not tiered QuickJS
  // up, and allocation-heavy loops spend most of their time in the GC between interrupt calls
  const budgetMs = lower(workBudgetMs(ctx.limits));
  const clockMs = Math.min(lower(ctx.limits.timeout_ms), Math.max(CLOCK_FLOOR_MS, budgetMs * CLOCK_FACTOR));
  const memoryBytes = ctx.limits.memory_pages ? ctx.limits.memory_pages * 65536 : DEFAULT_MEMORY_BYTES;
  const maxInterrupts = Math.max(1, Math.ceil(budgetMs * INTERRUPTS_PER_MS));
  const deadline = Date.now() + clockMs;
  let interrupts = 0;
  let stoppedBy: "budget" | "clock" | "abort" | undefined;
  let hostFailed = false;

  if (slot.quickjs !== quickjs) {
    slot.runtime = undefined;
    slot.quickjs = quickjs;
  }
  const runtime = (slot.runtime ??= quickjs.newRuntime());
  slot.runtime = undefined; // taken; given back below when it ended cleanly
  runtime.setMemoryLimit(memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(() => {
    interrupts++;
    if (interrupts > maxInterrupts) stoppedBy = "budget";
    else if (Date.now() > deadline) stoppedBy = "clock";
    else if (ctx.signal.aborted) stoppedBy = "abort";
    return stoppedBy !== undefined;
  });
  let vm: QuickJSContext | undefined;
  let result: NodeOutcome;
  try {
    vm = runtime.newContext();
    // Everything the sandbox needs is plain JavaScript in the same eval: no host functions to
    // create per run (they were a third of a code node's cost). console.* collects into an array
    // that is read once after the code ends, whether it returned, threw or was stopped. Setting
    // it up is a quarter of a small node's time, so only code that names `console` gets it.
    const logs = code.includes("console");
    const source =
      `${logs ? CONSOLE_SHIM : ""}(function(){var __r=(function(input){` +
      `\n${code}\n` +
      `}).call(undefined,JSON.parse(${JSON.stringify(inputJson)}));var __t=typeof __r;` +
      `if(__t==="function"||__t==="symbol"||__t==="bigint"){var __e=new TypeError("the code returned a "+__t+"; return JSON data (object, array, text, number, boolean or null)");__e.name="ArcrunOutputError";throw __e}` +
      `if(__r===undefined)return "null";try{return JSON.stringify(__r)}catch(e){var __o=new TypeError("the returned value cannot be turned into JSON: "+e.message);__o.name="ArcrunOutputError";throw __o}})()`;
    const evaluated = vm.evalCode(source, FILE);
    const stopped = stoppedBy;
    // reading the log gets a small budget of its own (the code may have left a trap in it)
    interrupts = maxInterrupts - LOG_READ_INTERRUPTS;
    stoppedBy = undefined;
    if (logs) for (const line of readLogs(vm)) ctx.log(line);
    if (evaluated.error) {
      const error = vm.dump(evaluated.error) as { name?: string; message?: string; stack?: string; lineNumber?: number };
      evaluated.error.dispose();
      result = stopped ? timeoutOutcome(stopped, stopped === "budget" ? budgetMs : clockMs, maxInterrupts + 1) : errorOutcome(error, code);
    } else {
      const json = vm.getString(evaluated.value);
      evaluated.value.dispose();
      result = { success: true, data: JSON.parse(json) };
    }
  } catch (error) {
    // The host (not QuickJS) failed: e.g. the WASM stack overflowed the host stack.
    hostFailed = true;
    const message = (error as Error)?.message ?? String(error);
    result = /call stack/i.test(message)
      ? fail("code_error", "stack overflow: the code recursed too deeply", false)
      : fail("internal_error", `the QuickJS sandbox failed: ${message}`, false);
  } finally {
    if (!hostFailed) {
      try {
        vm?.dispose();
        const failed = result! && !result.success ? result.error.code : undefined;
        if (failed && DROP_RUNTIME_AFTER.has(failed)) runtime.dispose();
        else {
          runtime.setInterruptHandler(() => true); // nothing runs between executions
          slot.runtime = runtime;
        }
      } catch {
        hostFailed = true; // a runtime that cannot be freed cleanly poisons the module; reload it
      }
    }
  }
  return { result: result!, hostFailed };
}

/**
 * console.log/info/warn/error/debug as the node log: strings as they are, other values as JSON,
 * at most MAX_LOG_LINES lines. Kept on one line: the wrapper may add only WRAPPER_LINES lines.
 */
const CONSOLE_SHIM =
  `(function(){var L=[];Object.defineProperty(globalThis,"__arcrun_logs",{value:L});` +
  `var f=function(a){if(typeof a==="string")return a;try{var s=JSON.stringify(a);return s===undefined?String(a):s}catch(e){return String(a)}};` +
  `var c={};["log","info","warn","error","debug"].forEach(function(l){c[l]=function(){if(L.length>=${MAX_LOG_LINES})return;` +
  `var t=Array.prototype.map.call(arguments,f).join(" ");L.push(l==="log"?t:"["+l+"] "+t)}});globalThis.console=c})();`;
const LOG_READ_INTERRUPTS = 50;

function readLogs(vm: QuickJSContext): string[] {
  const read = vm.evalCode(`JSON.stringify(globalThis.__arcrun_logs)`);
  if (read.error) {
    read.error.dispose();
    return [];
  }
  const json = vm.getString(read.value);
  read.value.dispose();
  try {
    const lines = JSON.parse(json) as unknown;
    return Array.isArray(lines) ? lines.filter((l): l is string => typeof l === "string") : [];
  } catch {
    return [];
  }
}

function timeoutOutcome(stoppedBy: "budget" | "clock" | "abort", budgetMs: number, interrupts: number): NodeOutcome {
  const how =
    stoppedBy === "budget"
      ? `its work budget (${interrupts - 1} interrupt checks ≈ ${budgetMs} ms of work; limits.cpu_ms, 100 by default)`
      : `${budgetMs} ms (the clock, ${CLOCK_FACTOR}× limits.cpu_ms or at least ${CLOCK_FLOOR_MS} ms, at most limits.timeout_ms)`;
  // an endless loop will loop again: not retryable
  return fail("timeout", `the code did not finish within ${how}; look for an endless loop, or give the node more with limits.cpu_ms (up to 30000; locally every other request waits while it works)`, false);
}

function errorOutcome(error: { name?: string; message?: string; stack?: string; lineNumber?: number }, code: string): NodeOutcome {
  const name = error.name ?? "Error";
  const message = error.message ?? String(error);
  if (name === "ArcrunOutputError") return fail("invalid_output", message, false);
  if (name === "InternalError" && /out of memory/i.test(message)) {
    return fail("memory_limit", "the code ran out of memory (limit: limits.memory_pages × 64 KiB, 64 MiB by default)", false);
  }
  const line = userLine(error, code);
  const detail = name === "InternalError" && /stack overflow/.test(message) ? "stack overflow: the code recursed too deeply" : `${name}: ${message}`;
  return {
    success: false,
    error: { code: "code_error", message: `${detail}${line ? ` (line ${line})` : ""}`, retryable: false, ...(line ? { details: { line } } : {}) },
  };
}

/** The first position in the user's code, mapped back from the wrapper's line numbers. */
function userLine(error: { stack?: string; lineNumber?: number }, code: string): number | undefined {
  const lines = code.split("\n").length;
  const candidates = [error.lineNumber, ...[...(error.stack ?? "").matchAll(/code\.js:(\d+)/g)].map((m) => Number(m[1]))];
  for (const raw of candidates) {
    if (typeof raw !== "number") continue;
    const line = raw - WRAPPER_LINES;
    if (line >= 1 && line <= lines) return line;
  }
  return undefined;
}

function fail(code: string, message: string, retryable = false): NodeOutcome {
  return { success: false, error: { code, message, retryable } };
}
