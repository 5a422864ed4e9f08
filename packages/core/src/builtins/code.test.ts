import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { createCodeComponent, INTERRUPTS_PER_MS } from "./code";
import { testContext } from "./test-context";

let loads = 0;
const code = createCodeComponent({ loadQuickJS: () => { loads++; return newQuickJSWASMModuleFromVariant(variant); } });
const run = (source: string, input: unknown = null, limits = {}) => {
  const ctx = testContext({ limits });
  return code.run({ code: source, input }, ctx).then((outcome) => ({ outcome, lines: ctx.lines }));
};
const errorOf = (o: Awaited<ReturnType<typeof run>>["outcome"]) => (o.success ? assert.fail(`expected a failure, got ${JSON.stringify(o.data)}`) : o.error);

describe("code builtin (QuickJS)", () => {
  test("input in scope, return value is data", async () => {
    const { outcome } = await run("return { total: input.a + input.b, names: input.list.map(x => x.toUpperCase()) }", { a: 2, b: 3, list: ["x"] });
    assert.deepEqual(outcome, { success: true, data: { total: 5, names: ["X"] } });
  });
  test("no return → null", async () => {
    assert.deepEqual((await run("const x = 1;")).outcome, { success: true, data: null });
  });
  test("console.log goes to the node log", async () => {
    const { lines } = await run("console.log('hello', {a: 1}, 2); console.warn('careful'); return 1");
    assert.deepEqual(lines, ['hello {"a":1} 2', "[warn] careful"]);
  });
  test("a thrown error is code_error with the message and the line in the user's code", async () => {
    const e = errorOf((await run("const a = 1;\nthrow new Error('nope');")).outcome);
    assert.equal(e.code, "code_error");
    assert.match(e.message, /Error: nope \(line 2\)/);
    assert.deepEqual(e.details, { line: 2 });
    const s = errorOf((await run("let x = ;")).outcome);
    assert.equal(s.code, "code_error");
    assert.match(s.message, /SyntaxError.*\(line 1\)/);
  });
  test("while(true){} ends as timeout, counted by interrupts", async () => {
    const e = errorOf((await run("while (true) {}", null, { timeout_ms: 100 })).outcome);
    assert.equal(e.code, "timeout");
    assert.match(e.message, /did not finish/);
    assert.equal(e.retryable, false);
  });
  test("the interrupt budget stops a loop even when the clock does not move", async () => {
    const realNow = Date.now;
    const frozen = realNow();
    Date.now = () => frozen; // Cloudflare freezes the clock during synchronous work
    try {
      const e = errorOf((await run("while (true) {}", null, { timeout_ms: 50 })).outcome);
      assert.equal(e.code, "timeout");
      assert.match(e.message, new RegExp(`${50 * INTERRUPTS_PER_MS} interrupt checks`));
    } finally {
      Date.now = realNow;
    }
  });
  test("the work budget is limits.cpu_ms (100 ms by default), whatever timeout_ms allows; cpu_ms opts in to more", async () => {
    const realNow = Date.now;
    const frozen = realNow();
    Date.now = () => frozen;
    try {
      const byDefault = errorOf((await run("while (true) {}", null, { timeout_ms: 20000 })).outcome);
      assert.equal(byDefault.code, "timeout");
      assert.match(byDefault.message, new RegExp(`${100 * INTERRUPTS_PER_MS} interrupt checks ≈ 100 ms of work; limits\\.cpu_ms`));
      const more = errorOf((await run("while (true) {}", null, { timeout_ms: 20000, cpu_ms: 300 })).outcome);
      assert.match(more.message, new RegExp(`${300 * INTERRUPTS_PER_MS} interrupt checks`));
      const lowered = errorOf((await run("while (true) {}", null, { timeout_ms: 40, cpu_ms: 300 })).outcome);
      assert.match(lowered.message, new RegExp(`${40 * INTERRUPTS_PER_MS} interrupt checks`), "never more work than the timeout");
    } finally {
      Date.now = realNow;
    }
  });
  test("a memory bomb ends as memory_limit", async () => {
    const e = errorOf((await run("const a = []; while (true) a.push({ x: [1, 2, 3] });", null, { memory_pages: 128, timeout_ms: 20000, cpu_ms: 20000 })).outcome);
    assert.equal(e.code, "memory_limit");
    const big = errorOf((await run("return 'x'.repeat(200 * 1024 * 1024).length")).outcome);
    assert.equal(big.code, "memory_limit");
  });
  test("deep recursion is a code_error, and the sandbox still works afterwards", async () => {
    const e = errorOf((await run("function f() { return f() } return f()")).outcome);
    assert.equal(e.code, "code_error");
    assert.match(e.message, /stack overflow/);
    assert.deepEqual((await run("return 40 + 2")).outcome, { success: true, data: 42 });
  });
  test("returned values must be JSON", async () => {
    assert.equal(errorOf((await run("return () => 1")).outcome).code, "invalid_output");
    assert.equal(errorOf((await run("const o = {}; o.self = o; return o")).outcome).code, "invalid_output");
  });
  test("a global set by one run is gone for the next; the module is loaded once", async () => {
    await run("globalThis.leak = 1; return 1");
    assert.deepEqual((await run("return typeof leak")).outcome, { success: true, data: "undefined" });
    assert.equal(loads, 1);
  });
  test("the runtime is reused, the global object is not: nothing a run sets is visible to the next", async () => {
    const setter = `globalThis.leak = 1; Object.prototype.polluted = true; Array.prototype.map = function () { return "hijacked" };
      JSON.parse = function () { return "forged" }; globalThis.input = "stale"; var declared = 2; return 1`;
    assert.deepEqual((await run(setter)).outcome, { success: true, data: 1 });
    const reader = `return [typeof leak, ({}).polluted === undefined, [1].map((x) => x + 1)[0], typeof declared, input]`;
    assert.deepEqual((await run(reader, "fresh")).outcome, { success: true, data: ["undefined", true, 2, "undefined", "fresh"] });
    // after a run stopped by its work budget (the sandbox is kept) the next one works and sees none of its globals
    assert.equal(errorOf((await run("globalThis.x = 1; while (true) {}", null, { cpu_ms: 5, timeout_ms: 1000 })).outcome).code, "timeout");
    assert.deepEqual((await run("return typeof x")).outcome, { success: true, data: "undefined" });
    assert.equal(loads, 1);
  });
  test("one sandbox for many runs, a fresh global state for each: nothing a run sets reaches the next", async () => {
    // every way a run could leave state behind, then a run that looks for each of them
    const setter = `
      globalThis.g1 = 1; g2 = 2; this.g3 = 3; Function("return this")().g4 = 4;
      Object.defineProperty(globalThis, "fixed", { value: 1, configurable: false });
      Array.prototype.extra = 1; Array.prototype.map = null; Object.prototype.polluted = 1; String.prototype.trim = null;
      try { Object.defineProperty(Array.prototype, "sneaky", { value: 1 }); } catch (e) {}
      try { Object.setPrototypeOf(Array.prototype, null); } catch (e) {}
      Math.max = null; JSON.stringify = null; Object.keys = null; Error.prototype.name = "forged";
      try { (0, eval)("let lexical = 1"); } catch (e) {}
      try { Object.setPrototypeOf(globalThis, { inherited: 1 }); } catch (e) {}
      Object.preventExtensions(globalThis);
      return "set"`;
    assert.deepEqual((await run(setter)).outcome, { success: true, data: "set" });
    const reader = `return {
      globals: [typeof g1, typeof g2, typeof g3, typeof g4, typeof fixed, typeof lexical, typeof inherited],
      protos: [[].extra, typeof [].map, ({}).polluted, typeof "".trim, [].sneaky, Object.getPrototypeOf(Array.prototype) === Object.prototype],
      builtins: [typeof Math.max, typeof JSON.stringify, typeof Object.keys, new Error("x").name],
      extensible: Object.isExtensible(globalThis),
    }`;
    assert.deepEqual((await run(reader)).outcome, {
      success: true,
      data: {
        globals: ["undefined", "undefined", "undefined", "undefined", "undefined", "undefined", "undefined"],
        protos: [null, "function", null, "function", null, true],
        builtins: ["function", "function", "function", "Error"],
        extensible: true,
      },
    });
    // the same code node twice: its compiled function is shared, its state is not
    const counter = "globalThis.n = (globalThis.n || 0) + 1; const f = arguments.callee; f.memo = (f.memo || 0) + 1; f.prototype.p = 1; return [n, f.memo || 1, f.prototype.p || 0]";
    assert.deepEqual([(await run(counter)).outcome, (await run(counter)).outcome], [{ success: true, data: [1, 1, 0] }, { success: true, data: [1, 1, 0] }]);
    // overriding a builtin's method on one's own object still works (no "override mistake")
    const own = "const o = {}; o.toString = () => 'mine'; const e = new Error('m'); e.name = 'Custom'; return [String(o), e.name, e.message]";
    assert.deepEqual((await run(own)).outcome, { success: true, data: ["mine", "Custom", "m"] });
    assert.equal(errorOf((await run("return eval('1')")).outcome).code, "code_error", "eval is refused");
    assert.deepEqual((await run("return [typeof WeakRef, typeof FinalizationRegistry]")).outcome, { success: true, data: ["undefined", "undefined"] });
    assert.equal(loads, 1);
  });
  test("the global object's prototype is fixed, as in browsers: the builtins it holds stay in reach", async () => {
    // the builtins live on the global object's (frozen) prototype, so the reset checks a short key list
    const attempts = `const tries = [];
      try { Object.setPrototypeOf(globalThis, {}); tries.push("set"); } catch (e) { tries.push(e.name); }
      tries.push(Reflect.setPrototypeOf(globalThis, null));
      try { globalThis.__proto__ = {}; tries.push("set"); } catch (e) { tries.push(e.name); }
      tries.push(Object.setPrototypeOf({}, null) !== null, Reflect.setPrototypeOf({}, Array.prototype));
      const o = {}; o.__proto__ = Array.prototype;
      return [tries, o instanceof Array, typeof JSON.parse, "Array" in globalThis, Object.isFrozen(Object.getPrototypeOf(globalThis))]`;
    assert.deepEqual((await run(attempts)).outcome, { success: true, data: [["TypeError", false, "TypeError", true, true], true, "function", true, true] });
    // a builtin name cannot be reassigned (a silent no-op outside strict code, as before), nor shadowed into the next run
    const shadow = "JSON = null; globalThis.Math = 1; return [typeof JSON, typeof Math]";
    assert.deepEqual((await run(shadow)).outcome, { success: true, data: ["object", "object"] });
    assert.deepEqual((await run("'use strict'; try { JSON = null; return 'assigned'; } catch (e) { return e.name; }")).outcome, { success: true, data: "TypeError" });
    assert.equal(loads, 1);
  });
  test("missing code is invalid_input", async () => {
    const outcome = await code.run({}, testContext());
    assert.equal(outcome.success ? "" : outcome.error.code, "invalid_input");
  });
});

describe("code builtin: the node log", () => {
  test("lines written before a throw or a timeout are kept; values print as JSON", async () => {
    const thrown = await run("console.log('step', 1, [2], undefined); console.error(new Error('x').message); throw new Error('late')");
    assert.deepEqual(thrown.lines, ["step 1 [2] undefined", "[error] x"]);
    const stopped = await run("console.info('before the loop'); while (true) {}", null, { timeout_ms: 50 });
    assert.equal(errorOf(stopped.outcome).code, "timeout");
    assert.deepEqual(stopped.lines, ["[info] before the loop"]);
  });
  test("at most 200 lines, and code cannot tamper with the collected log", async () => {
    const many = await run("for (let i = 0; i < 500; i++) console.log(i); return 1");
    assert.equal(many.lines.length, 200);
    assert.equal(many.lines[199], "199");
    // the collected lines live in the sandbox's own closure: nothing on the global object to reach
    const hidden = await run("console.log('a'); return [typeof globalThis.__arcrun_logs, Object.isFrozen(console)]");
    assert.deepEqual(hidden.outcome, { success: true, data: ["undefined", true] });
    const replaced = await run("try { console.log = function () {}; globalThis.console = {}; } catch (e) {} console.log('kept'); return 1");
    assert.deepEqual(replaced.lines, ["kept"]);
    assert.deepEqual((await run("console.log('next'); return 1")).lines, ["next"], "a run sees only its own lines");
  });
});
