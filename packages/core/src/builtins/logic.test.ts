import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { executeWorkflow } from "../run/execute";
import { workflow } from "../run/testing";
import { ifComponent } from "./if";
import { switchComponent } from "./switch";
import { mergeComponent } from "./merge";
import { staticResolver, chainResolvers } from "./index";
import type { Component } from "../components/types";
import type { NodeConfig } from "../workflow/schema";
import type { RunRecord } from "../run/schema";

const echo: Component = { name: "echo", kind: "builtin", run: async (params) => ({ success: true, data: params }) };
const resolver = chainResolvers(staticResolver([ifComponent, switchComponent, mergeComponent]), staticResolver([echo]));
const run = (flow: string[], nodes: Record<string, NodeConfig>, input: unknown) => executeWorkflow(workflow(flow, nodes), { resolver, input });
const statuses = (r: RunRecord) => Object.fromEntries(r.nodes.map((n) => [n.node, n.status]));

describe("if", () => {
  const flow = ["input >> ON_SUCCESS >> check", "check >> ON_TRUE >> adult", "check >> ON_FALSE >> minor", "check >> ON_SUCCESS >> audit"];
  const nodes = {
    check: { component: "if", condition: { all: [{ value: "{{input.age}}", op: "gte", to: 18 }] }, data: "{{input}}" },
    adult: { component: "echo", who: "{{check.data.value.name}}" },
    minor: { component: "echo" },
    audit: { component: "echo", result: "{{check.data.result}}" },
  };
  test("ON_TRUE taken, ON_FALSE skipped, ON_SUCCESS fires too", async () => {
    const record = await run(flow, nodes, { age: 30, name: "ada" });
    assert.deepEqual(statuses(record), { check: "succeeded", adult: "succeeded", minor: "skipped", audit: "succeeded" });
    assert.equal(record.nodes[0].branch, "ON_TRUE");
    assert.deepEqual(record.nodes[0].output, { result: true, value: { age: 30, name: "ada" } });
    assert.deepEqual(record.result, { adult: { who: "ada" }, audit: { result: true } });
  });
  test("ON_FALSE when the condition does not hold", async () => {
    const record = await run(flow, nodes, { age: 12, name: "tim" });
    assert.deepEqual(statuses(record), { check: "succeeded", adult: "skipped", minor: "succeeded", audit: "succeeded" });
  });
  test("a bad operator fails the node with invalid_condition", async () => {
    const record = await run(["input >> ON_SUCCESS >> check"], { check: { component: "if", condition: { value: 1, op: "bigger", to: 0 } } }, {});
    assert.equal(record.nodes[0].error?.code, "invalid_condition");
    assert.match(record.nodes[0].error?.message ?? "", /condition\.op: unknown operator "bigger"/);
  });
  test("branches()", () => assert.deepEqual(ifComponent.branches?.({}), ["ON_TRUE", "ON_FALSE"]));
});

describe("switch", () => {
  const flow = ["input >> ON_SUCCESS >> route", "route >> PRO >> pro", "route >> ADULT >> adult", "route >> OTHER >> other"];
  const route = { component: "switch", value: "{{input.v}}", cases: { PRO: "pro", ADULT: { op: "gte", to: 18 } }, default: "OTHER" };
  const nodes = { route, pro: { component: "echo" }, adult: { component: "echo" }, other: { component: "echo" } };
  test("first matching case by value, then by condition, else default", async () => {
    assert.deepEqual(statuses(await run(flow, nodes, { v: "pro" })), { route: "succeeded", pro: "succeeded", adult: "skipped", other: "skipped" });
    assert.deepEqual(statuses(await run(flow, nodes, { v: 40 })), { route: "succeeded", pro: "skipped", adult: "succeeded", other: "skipped" });
    const fallback = await run(flow, nodes, { v: 3 });
    assert.deepEqual(statuses(fallback), { route: "succeeded", pro: "skipped", adult: "skipped", other: "succeeded" });
    assert.deepEqual(fallback.nodes[0].output, { case: "OTHER", value: 3 });
  });
  test("branches() lists the cases and the default", () => {
    assert.deepEqual(switchComponent.branches?.(route), ["PRO", "ADULT", "OTHER"]);
    assert.deepEqual(switchComponent.branches?.({ cases: { A: 1 } }), ["A", "DEFAULT"]);
  });
  test("missing cases or a reserved label is invalid_condition", async () => {
    const none = await run(["input >> ON_SUCCESS >> s"], { s: { component: "switch", value: 1 } }, {});
    assert.equal(none.nodes[0].error?.code, "invalid_condition");
    const reserved = await run(["input >> ON_SUCCESS >> s"], { s: { component: "switch", value: 1, cases: { ON_SUCCESS: 1 } } }, {});
    assert.match(reserved.nodes[0].error?.message ?? "", /relation of every node/);
  });
});

describe("merge", () => {
  //        input
  //       /  |  \
  //      a   b   c(fails, reached via ALWAYS)
  //       \  |  /
  //        merge
  const flow = ["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b", "input >> ON_SUCCESS >> gate", "gate >> ON_FALSE >> skipped_one",
    "b >> ON_SUCCESS >> m", "a >> ON_SUCCESS >> m", "skipped_one >> ON_SUCCESS >> m"];
  const base = {
    a: { component: "echo", list: [1, 2] }, b: { component: "echo", list: [3] },
    gate: { component: "if", condition: true }, skipped_one: { component: "echo" },
  };
  const merged = async (mode?: string) => {
    const record = await run(flow, { ...base, m: { component: "merge", ...(mode ? { mode } : {}) } }, {});
    return record.nodes.find((n) => n.node === "m")?.output;
  };
  test("object (default) keys by node, in edge order, without skipped branches", async () => {
    assert.deepEqual(await merged(), { b: { list: [3] }, a: { list: [1, 2] } });
    assert.deepEqual(Object.keys((await merged()) as object), ["b", "a"]);
  });
  test("array, concat, first", async () => {
    assert.deepEqual(await merged("array"), [{ list: [3] }, { list: [1, 2] }]);
    assert.deepEqual(await merged("first"), { list: [3] });
    const concat = await run(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b", "a >> ON_SUCCESS >> m", "b >> ON_SUCCESS >> m"], {
      a: { component: "if", condition: true }, b: { component: "echo", v: 1 }, m: { component: "merge", mode: "concat" },
    }, {});
    assert.deepEqual(concat.result, [{ result: true, value: null }, { v: 1 }]);
  });
  test("unknown mode is invalid_input", async () => {
    const record = await run(["input >> ON_SUCCESS >> m"], { m: { component: "merge", mode: "zip" } }, {});
    assert.equal(record.nodes[0].error?.code, "invalid_input");
  });
});

describe("resolvers", () => {
  test("chainResolvers: first match wins; list is the union", async () => {
    const other: Component = { ...echo, kind: "wasm" };
    const chained = chainResolvers(staticResolver([echo]), staticResolver([other, mergeComponent]));
    assert.equal((await chained.resolve("echo"))?.kind, "builtin");
    assert.equal((await chained.resolve("merge"))?.name, "merge");
    assert.equal(await chained.resolve("nope"), undefined);
    assert.deepEqual(await chained.list(), ["echo", "merge"]);
  });
});
