/**
 * `code`: JavaScript in a QuickJS sandbox (WASM). Param `code` is a function body with
 * `input` (the node's `input` param, JSON) in scope; what it returns is the node's data.
 *
 *   shape:
 *     component: code
 *     input: {user: "{{input.user}}"}
 *     code: "return { greeting: 'hi ' + input.user.name }"
 *
 * Isolation: one QuickJS runtime and context per isolate, reused across nodes and runs (a new
 * context costs far more than a small node's eval), hardened once so that nothing a run does is
 * visible to the next: every builtin frozen (as SES's lockdown does; writing to one is a silent
 * no-op, or a TypeError in strict code), `eval` refused, the global object's own properties
 * fixed and whatever a run adds to it removed before the next run starts (SANDBOX_SETUP). No
 * host functions at all; console.* is collected inside the sandbox and becomes the node log.
 * Each code node is compiled once per sandbox (by its code, so once per workflow version) into a
 * frozen function; its input goes in and its result comes out as one JSON text each.
 * Executions never overlap (the sync gate); a sandbox that hit its memory limit, left promise
 * jobs pending or whose host failed is thrown away (a new one: 10–60 ms, freezing the builtins).
 *
 * Time: Workers freeze the clock during synchronous work, so the interrupt handler COUNTS
 * its calls (15–28 per ms of busy JS in workerd, slower while V8 has not tiered QuickJS up)
 * against the node's work budget (`limits.cpu_ms`, 100 ms by default, never more than its
 * timeout; the `timeout_ms` parameter lowers it further), and also checks a clock deadline
 * (effective wherever the clock runs, e.g. locally). Whichever trips first ends the node with
 * `timeout`. The budget is small because local workerd serves every request on one thread.
 * Memory: runtime.setMemoryLimit (64 MiB, or limits.memory_pages × 64 KiB) → `memory_limit`.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Component, NodeContext, NodeOutcome } from "../components/types";
import { workBudgetMs } from "../run/limits";
import { syncGate } from "../run/sync-gate";
import { jsonOf, withJson } from "../json/known";

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
    runtimes.sandbox = undefined;
  };
  const runtimes: RuntimeSlot = {};

  return {
    name: "code",
    kind: "builtin",
    selfLimited: true, // no I/O; the work budget (QuickJS interrupts, clock backstop under timeout_ms) stops it
    untracedParams: ["code"], // the source is in the workflow version; traces keep the node's input
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
        inputJson = jsonOf(params.input);
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

/** The sandbox kept for the next execution (undefined: make one). */
interface RuntimeSlot {
  sandbox?: Sandbox;
  quickjs?: QuickJSWASMModule;
}

/**
 * A QuickJS runtime and one hardened context, reused across executions: every builtin frozen,
 * `eval` refused, the global object's own properties fixed, what a run adds removed before the
 * next one starts (SANDBOX_SETUP). `compiled` holds each code node's function, compiled once.
 */
interface Sandbox {
  runtime: QuickJSRuntime;
  vm: QuickJSContext;
  /** run(fn, inputJson) → the result's JSON text, a newline, the logs' JSON text */
  runner: QuickJSHandle;
  /** takeLogs() → JSON text of the lines collected since the last run started */
  takeLogs: QuickJSHandle;
  compiled: Map<string, QuickJSHandle | NodeOutcome>;
}

/**
 * Outcomes after which the sandbox is not reused: its heap or state may be in a bad way. A run
 * stopped by its budget is not among them: the interrupt unwinds QuickJS cleanly, the builtins
 * are frozen and the next run resets the global object first — and a new sandbox costs tens of
 * milliseconds of synchronous work (freezing the builtins), too much to pay after every runaway.
 */
const DROP_RUNTIME_AFTER = new Set(["memory_limit", "internal_error"]);
/** compiled code nodes kept per sandbox; past this the cache starts over */
const MAX_COMPILED = 256;
/** the interrupt checks the setup of a new sandbox may use (freezing the builtins) */
const SETUP_INTERRUPTS = 100_000;

function newSandbox(quickjs: QuickJSWASMModule): Sandbox {
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(DEFAULT_MEMORY_BYTES);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  let setupInterrupts = 0;
  runtime.setInterruptHandler(() => ++setupInterrupts > SETUP_INTERRUPTS);
  const vm = runtime.newContext();
  try {
    const made = vm.evalCode(SANDBOX_SETUP, "arcrun-setup.js");
    if (made.error) {
      const error = vm.dump(made.error);
      made.error.dispose();
      throw new Error(`the sandbox setup failed: ${JSON.stringify(error)}`);
    }
    const runner = vm.getProp(made.value, "run");
    const takeLogs = vm.getProp(made.value, "logs");
    made.value.dispose();
    return { runtime, vm, runner, takeLogs, compiled: new Map() };
  } catch (error) {
    vm.dispose();
    runtime.dispose();
    throw error;
  }
}

function disposeSandbox(sandbox: Sandbox): void {
  for (const fn of sandbox.compiled.values()) if ("dispose" in fn) fn.dispose();
  sandbox.runner.dispose();
  sandbox.takeLogs.dispose();
  sandbox.vm.dispose();
  sandbox.runtime.dispose();
}

/** The code node's function, compiled once per sandbox (a syntax error is kept as its outcome). */
function compiledFunction(sandbox: Sandbox, code: string): QuickJSHandle | NodeOutcome {
  const known = sandbox.compiled.get(code);
  if (known) return known;
  if (sandbox.compiled.size >= MAX_COMPILED) {
    for (const fn of sandbox.compiled.values()) if ("dispose" in fn) fn.dispose();
    sandbox.compiled.clear();
  }
  const { vm } = sandbox;
  // the function and its prototype are frozen: `arguments.callee.x = 1` must not reach the next run
  const made = vm.evalCode(`(function(){var f=function(input){\n${code}\n};Object.freeze(f);Object.freeze(f.prototype);return f})()`, FILE);
  if (made.error) {
    const error = vm.dump(made.error) as ThrownError;
    made.error.dispose();
    const outcome = errorOutcome(error, code);
    if (error?.name === "SyntaxError") sandbox.compiled.set(code, outcome); // the same code fails the same way
    return outcome;
  }
  sandbox.compiled.set(code, made.value);
  return made.value;
}

type ThrownError = { name?: string; message?: string; stack?: string; lineNumber?: number };

function execute({ quickjs, slot }: { quickjs: QuickJSWASMModule; slot: RuntimeSlot }, code: string, inputJson: string, timeoutParam: unknown, ctx: NodeContext) {
  const lower = (ms: number) => (typeof timeoutParam === "number" && timeoutParam > 0 ? Math.min(timeoutParam, ms) : ms);
  // counted work is the budget everywhere; the clock (running locally only) is a backstop at
  // CLOCK_FACTOR × the budget: the interrupt rate drops 5–10× while V8 has not tiered QuickJS
  // up, and allocation-heavy loops spend most of their time in the GC between interrupt calls
  const budgetMs = lower(workBudgetMs(ctx.limits));
  const clockMs = Math.min(lower(ctx.limits.timeout_ms), Math.max(CLOCK_FLOOR_MS, budgetMs * CLOCK_FACTOR));
  const memoryBytes = ctx.limits.memory_pages ? ctx.limits.memory_pages * 65536 : DEFAULT_MEMORY_BYTES;
  const maxInterrupts = Math.max(1, Math.ceil(budgetMs * INTERRUPTS_PER_MS));
  let interrupts = 0;
  let stoppedBy: "budget" | "clock" | undefined;
  let hostFailed = false;

  if (slot.quickjs !== quickjs) {
    slot.sandbox = undefined;
    slot.quickjs = quickjs;
  }
  let sandbox: Sandbox | undefined;
  let result: NodeOutcome;
  let keep = false;
  try {
    sandbox = slot.sandbox ?? newSandbox(quickjs);
    slot.sandbox = undefined; // taken; given back below when it ended cleanly
    const { runtime, vm } = sandbox;
    const deadline = Date.now() + clockMs;
    runtime.setMemoryLimit(memoryBytes);
    runtime.setInterruptHandler(() => {
      interrupts++;
      if (interrupts > maxInterrupts) stoppedBy = "budget";
      else if (Date.now() > deadline) stoppedBy = "clock";
      return stoppedBy !== undefined;
    });
    const fn = compiledFunction(sandbox, code);
    if (!("dispose" in fn)) {
      result = fn;
      keep = true;
    } else {
      // data in and out as one JSON text each: no handles built field by field
      const input = vm.newString(inputJson);
      const called = vm.callFunction(sandbox.runner, vm.undefined, fn, input);
      input.dispose();
      const stopped = stoppedBy;
      // reading the log gets a small budget of its own (the code may have left a trap in it)
      interrupts = maxInterrupts - LOG_READ_INTERRUPTS;
      stoppedBy = undefined;
      if (called.error) {
        const error = vm.dump(called.error) as ThrownError;
        called.error.dispose();
        for (const line of readLogs(vm, sandbox.takeLogs)) ctx.log(line);
        if (error?.name === "ArcrunDirtySandbox") {
          // the previous run left something that cannot be removed: run again on a new sandbox
          disposeSandbox(sandbox);
          sandbox = undefined;
          return execute({ quickjs, slot }, code, inputJson, timeoutParam, ctx);
        }
        result = stopped ? timeoutOutcome(stopped, stopped === "budget" ? budgetMs : clockMs, maxInterrupts + 1) : errorOutcome(error, code);
      } else {
        // the data's JSON text, a newline (never inside JSON.stringify's output), the log lines as JSON
        const answer = vm.getString(called.value);
        called.value.dispose();
        const cut = answer.indexOf("\n");
        const dataJson = answer.slice(0, cut);
        for (const line of JSON.parse(answer.slice(cut + 1)) as string[]) ctx.log(line);
        result = { success: true, data: withJson(JSON.parse(dataJson) as unknown, dataJson) };
      }
      // pending promise jobs would run in a later execution: such a sandbox is not reused
      keep = !runtime.hasPendingJob() && !(result.success === false && DROP_RUNTIME_AFTER.has(result.error.code));
    }
  } catch (error) {
    // The host (not QuickJS) failed: e.g. the WASM stack overflowed the host stack.
    hostFailed = true;
    const message = (error as Error)?.message ?? String(error);
    result = /call stack/i.test(message)
      ? fail("code_error", "stack overflow: the code recursed too deeply", false)
      : fail("internal_error", `the QuickJS sandbox failed: ${message}`, false);
  } finally {
    if (!hostFailed && sandbox) {
      try {
        if (keep) {
          sandbox.runtime.setInterruptHandler(() => true); // nothing runs between executions
          slot.sandbox = sandbox;
        } else disposeSandbox(sandbox);
      } catch {
        hostFailed = true; // a runtime that cannot be freed cleanly poisons the module; reload it
      }
    }
  }
  return { result: result!, hostFailed };
}

/**
 * The sandbox's own JavaScript, evaluated once per context; returns {run, logs}, never put on
 * the global object. It installs console.* (collected into a private array, at most
 * MAX_LOG_LINES lines a run, strings as they are, other values as JSON), replaces `eval` (an
 * indirect eval could declare global `let`s that no reset can remove), removes WeakRef and
 * FinalizationRegistry (a finalizer registered by one run would fire during another), moves the
 * global object's own properties (the builtins) onto a new prototype of it and makes that
 * prototype fixed (as browsers do for `window`: Object/Reflect.setPrototypeOf and `__proto__`
 * refuse to change it), so the global object itself holds only undefined, NaN and Infinity and
 * the reset below checks a three-key list instead of ~80 (Reflect.ownKeys of the whole global
 * object cost ~6 µs a run); then freezes every
 * object reachable from the global object and the hidden intrinsics (iterator, generator and
 * async function prototypes), makes the global object's own properties fixed, and keeps the
 * list of them. Frozen prototypes would turn `obj.toString = f` into a silent no-op (the
 * "override mistake"); the usual ones (constructor, toString, valueOf, name, message…) become
 * accessors whose setter defines the property on the object itself, as SES does (on the
 * builtin itself it does nothing, like any write to a frozen object outside strict mode).
 * Each run first removes whatever the previous run added to the global object (and its
 * prototype if changed; as many own keys as at setup means none was added, since none of those
 * can be deleted: the common case costs one key list); when that is impossible (a non-configurable global, a non-extensible
 * global object) it throws ArcrunDirtySandbox and the host starts a new sandbox.
 * `run(fn, json)` calls the compiled code node with JSON.parse(json) and answers the result's
 * JSON text, a newline and the logs' JSON text, after checking that the result is JSON data
 * (the host keeps the result's text: json/known.ts).
 */
const SANDBOX_SETUP = `(function(){"use strict";
var G=globalThis,O=Object,R=Reflect,freeze=O.freeze,gopd=O.getOwnPropertyDescriptor,dp=O.defineProperty,gpo=O.getPrototypeOf,spo=O.setPrototypeOf,ownKeys=R.ownKeys,isExt=O.isExtensible,Parse=JSON.parse,Str=JSON.stringify,TE=TypeError,Arr=Array;
var L=[];
var f=function(a){if(typeof a==="string")return a;try{var s=Str(a);return s===undefined?String(a):s}catch(e){return String(a)}};
var c={};["log","info","warn","error","debug"].forEach(function(l){c[l]=function(){if(L.length>=${MAX_LOG_LINES})return;var p=[];for(var i=0;i<arguments.length;i++)p[i]=f(arguments[i]);var t=p.join(" ");L[L.length]=l==="log"?t:"["+l+"] "+t}});
dp(G,"console",{value:c,writable:true,enumerable:false,configurable:true});
delete G.WeakRef;delete G.FinalizationRegistry;
dp(G,"eval",{value:function(){throw new EvalError("eval is not available in a code node: write the code out")},writable:true,enumerable:false,configurable:true});
var fixes=[[O.prototype,["constructor","hasOwnProperty","isPrototypeOf","propertyIsEnumerable","toLocaleString","toString","valueOf"]],
[Function.prototype,["constructor","toString"]],[Arr.prototype,["constructor","toString","toLocaleString"]],
[Error.prototype,["constructor","message","name","toString"]]];
["EvalError","RangeError","ReferenceError","SyntaxError","TypeError","URIError","AggregateError"].forEach(function(n){if(G[n])fixes.push([G[n].prototype,["constructor","message","name"]])});
fixes.forEach(function(fx){var p=fx[0];fx[1].forEach(function(k){var d=gopd(p,k);if(!d||!("value" in d))return;var v=d.value;
dp(p,k,{get:function(){return v},set:function(nv){if(this===p)return;dp(this,k,{value:nv,writable:true,enumerable:true,configurable:true})},enumerable:d.enumerable,configurable:false})})});
var B=O.create(gpo(G)),gk=ownKeys(G);for(var i=0;i<gk.length;i++){var d=gopd(G,gk[i]);if(d.configurable){dp(B,gk[i],d);delete G[gk[i]]}}spo(G,B);
var fixedProto=function(){return new TE("the global object's prototype cannot be changed in a code node")};
dp(O,"setPrototypeOf",{value:function setPrototypeOf(o,p){if(o===G&&p!==B)throw fixedProto();return spo(o,p)},writable:true,enumerable:false,configurable:true});
var rspo=R.setPrototypeOf;dp(R,"setPrototypeOf",{value:function setPrototypeOf(o,p){if(o===G)return p===B;return rspo(o,p)},writable:true,enumerable:false,configurable:true});
var pd=gopd(O.prototype,"__proto__");if(pd&&pd.set){var pset=pd.set;dp(O.prototype,"__proto__",{get:pd.get,set:function(p){if(this===G&&p!==B)throw fixedProto();return pset.call(this,p)},enumerable:false,configurable:true})}
var roots=[G,gpo(function*(){}),gpo(async function(){}),gpo(async function*(){}),gpo([][Symbol.iterator]()),gpo(new Map()[Symbol.iterator]()),gpo(new Set()[Symbol.iterator]()),gpo(""[Symbol.iterator]()),gpo((function*(){})()),gpo((async function*(){})())];
try{roots.push(gpo("a".matchAll(/a/g)))}catch(e){}
var seen=new Set(),todo=roots.slice();
while(todo.length){var o=todo.pop();if(o===null||(typeof o!=="object"&&typeof o!=="function")||seen.has(o))continue;seen.add(o);
var ks=ownKeys(o);for(var i=0;i<ks.length;i++){var d=gopd(o,ks[i]);if(!d)continue;if("value" in d)todo.push(d.value);else{todo.push(d.get);todo.push(d.set)}}todo.push(gpo(o))}
seen.delete(G);seen.forEach(function(o){freeze(o)});
var base=new Set(),baseKeys=ownKeys(G);for(var i=0;i<baseKeys.length;i++){var k=baseKeys[i],d=gopd(G,k);base.add(k);if("value" in d)d.writable=false;d.configurable=false;dp(G,k,d)}
var baseProto=gpo(G);
function dirty(){var e=new Error("the previous run left the global object in a state that cannot be reset");e.name="ArcrunDirtySandbox";throw e}
function reset(){L.length=0;if(!isExt(G))dirty();if(gpo(G)!==baseProto){try{spo(G,baseProto)}catch(e){dirty()}}
var ks=ownKeys(G);if(ks.length===base.size)return;for(var i=0;i<ks.length;i++){if(!base.has(ks[i])&&!R.deleteProperty(G,ks[i]))dirty()}}
function out(fn,json){var r=fn.call(undefined,Parse(json));var t=typeof r;
if(t==="function"||t==="symbol"||t==="bigint"){var e=new TE("the code returned a "+t+"; return JSON data (object, array, text, number, boolean or null)");e.name="ArcrunOutputError";throw e}
if(r===undefined)r=null;var s;try{s=Str(r)}catch(x){var o=new TE("the returned value cannot be turned into JSON: "+x.message);o.name="ArcrunOutputError";throw o}
return s===undefined?"null":s}
var api={run:function(fn,json){reset();var s=out(fn,json);return s+"\\n"+Str(L)},logs:function(){return Str(L)}};
freeze(api.run);freeze(api.logs);freeze(api);
return api})()`;
const LOG_READ_INTERRUPTS = 50;

function readLogs(vm: QuickJSContext, takeLogs: QuickJSHandle): string[] {
  const read = vm.callFunction(takeLogs, vm.undefined);
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

function timeoutOutcome(stoppedBy: "budget" | "clock", budgetMs: number, interrupts: number): NodeOutcome {
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
