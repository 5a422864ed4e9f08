/**
 * `code`: JavaScript in a QuickJS sandbox (WASM). Param `code` is a function body with
 * `input` (the node's `input` param, JSON) in scope; what it returns is the node's data.
 *
 *   shape:
 *     component: code
 *     input: {user: "{{input.user}}"}
 *     code: "return { greeting: 'hi ' + input.user.name }"
 *
 * Isolation: a fresh runtime and context for every execution; no host functions except
 * console.*, which writes to the node log. The loaded QuickJS module is cached.
 *
 * Time: Workers freeze the clock during synchronous work, so the interrupt handler COUNTS
 * its calls (≈15 per ms of busy JS, measured in workerd and in Node) against a budget derived
 * from the node's timeout, and also checks a clock deadline (effective wherever the clock
 * runs, e.g. locally). Whichever trips first ends the node with `timeout`.
 * Memory: runtime.setMemoryLimit (64 MiB, or limits.memory_pages × 64 KiB) → `memory_limit`.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Component, NodeContext, NodeOutcome } from "../components/types";

export interface CodeDeps {
  loadQuickJS: () => Promise<QuickJSWASMModule>;
}

/** Interrupt-handler calls per millisecond of busy JavaScript (workerd: 2000 calls ≈ 130 ms). */
export const INTERRUPTS_PER_MS = 15;
export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
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
  const discard = () => (module = undefined);

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
      const outcome = execute(quickjs, params.code, inputJson, params.timeout_ms, ctx);
      if (outcome.hostFailed) discard();
      return outcome.result;
    },
  };
}

function execute(quickjs: QuickJSWASMModule, code: string, inputJson: string, timeoutParam: unknown, ctx: NodeContext) {
  const budgetMs = typeof timeoutParam === "number" && timeoutParam > 0 ? Math.min(timeoutParam, ctx.limits.timeout_ms) : ctx.limits.timeout_ms;
  const memoryBytes = ctx.limits.memory_pages ? ctx.limits.memory_pages * 65536 : DEFAULT_MEMORY_BYTES;
  const maxInterrupts = Math.max(1, Math.ceil(budgetMs * INTERRUPTS_PER_MS));
  const deadline = Date.now() + budgetMs;
  let interrupts = 0;
  let stoppedBy: "budget" | "clock" | "abort" | undefined;
  let hostFailed = false;

  const runtime = quickjs.newRuntime();
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
    installConsole(vm, ctx);
    vm.newString(inputJson).consume((handle) => vm!.setProp(vm!.global, "__arcrun_input", handle));
    const source =
      `(function(){var __r=(function(input){` +
      `\n${code}\n` +
      `}).call(undefined,JSON.parse(globalThis.__arcrun_input));var __t=typeof __r;` +
      `if(__t==="function"||__t==="symbol"||__t==="bigint"){var __e=new TypeError("the code returned a "+__t+"; return JSON data (object, array, text, number, boolean or null)");__e.name="ArcrunOutputError";throw __e}` +
      `if(__r===undefined)return "null";try{return JSON.stringify(__r)}catch(e){var __o=new TypeError("the returned value cannot be turned into JSON: "+e.message);__o.name="ArcrunOutputError";throw __o}})()`;
    const evaluated = vm.evalCode(source, FILE);
    if (evaluated.error) {
      const error = vm.dump(evaluated.error) as { name?: string; message?: string; stack?: string; lineNumber?: number };
      evaluated.error.dispose();
      result = stoppedBy ? timeoutOutcome(stoppedBy, budgetMs, interrupts) : errorOutcome(error, code);
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
        runtime.dispose();
      } catch {
        hostFailed = true; // a runtime that cannot be freed cleanly poisons the module; reload it
      }
    }
  }
  return { result: result!, hostFailed };
}

function installConsole(vm: QuickJSContext, ctx: NodeContext): void {
  let lines = 0;
  const consoleObject = vm.newObject();
  for (const level of ["log", "info", "warn", "error", "debug"]) {
    const fn = vm.newFunction(level, (...args: QuickJSHandle[]) => {
      if (lines++ >= MAX_LOG_LINES) return;
      const text = args.map((arg) => {
        const value = vm.dump(arg);
        return typeof value === "string" ? value : safeJson(value);
      }).join(" ");
      ctx.log(level === "log" ? text : `[${level}] ${text}`);
    });
    vm.setProp(consoleObject, level, fn);
    fn.dispose();
  }
  vm.setProp(vm.global, "console", consoleObject);
  consoleObject.dispose();
}

function timeoutOutcome(stoppedBy: "budget" | "clock" | "abort", budgetMs: number, interrupts: number): NodeOutcome {
  const how = stoppedBy === "budget" ? `its work budget (${interrupts - 1} interrupt checks ≈ ${budgetMs} ms)` : `${budgetMs} ms`;
  // an endless loop will loop again: not retryable
  return fail("timeout", `the code did not finish within ${how}; look for an endless loop or raise limits.timeout_ms`, false);
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

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
