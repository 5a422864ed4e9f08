// The Gherkin runner against a plain JavaScript component, so each step's meaning is pinned down
// independently of any WASM module.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Component } from "../components/types";
import { parseFeature } from "./parse";
import { runFeatures } from "./run";

// echoes {text} upper-cased with its length; fails on "boom"; shows the limits it got
const shout: Component = {
  name: "shout",
  kind: "builtin",
  contract: { name: "shout", version: "1.0.0", description: "test", limits: { timeout_ms: 1234 } },
  async run(params, ctx) {
    ctx.log(`got ${JSON.stringify(params)}`);
    if (params.text === "boom") return { success: false, error: { code: "exploded", message: "it went boom", details: [{ at: 1 }, { at: 2 }] } };
    return { success: true, data: { text: String(params.text).toUpperCase(), length: String(params.text).length, timeout: ctx.limits.timeout_ms, tags: ["a"] } };
  },
};

async function run(text: string) {
  return runFeatures({ component: shout, features: [{ uri: "shout.feature", text }] });
}

describe("feature runner", () => {
  test("every step kind passes against a matching component", async () => {
    const summary = await run(`Feature: shout
  Scenario: all the steps
    Given the input:
      """
      {"text": "héllo"}
      """
    And the limit "timeout_ms" is 50
    When the component runs
    Then it succeeds
    And the output field "text" is "HÉLLO"
    And the output field "length" is 5
    And the output field "timeout" is 50
    And the output field "tags.0" is "a"
    And the output field "tags" is:
      """
      ["a"]
      """
    And the output contains "HÉL"
    And the output field "text" matches "^H.LLO$"
    And the output is {"text": "HÉLLO", "length": 5, "timeout": 50, "tags": ["a"]}

  Scenario: failures
    Given the parameter "text" is "boom"
    When the component runs
    Then it fails with code "exploded"
    And the error message contains "went boom"
    And the error details include:
      """
      [{"at": 2}]
      """
    And the error details are:
      """
      [{"at": 1}, {"at": 2}]
      """
`);
    assert.deepEqual(summary.results.map((r) => [r.name, r.status, r.error]), [["all the steps", "passed", undefined], ["failures", "passed", undefined]]);
    assert.deepEqual(summary.results[1].logs, ['got {"text":"boom"}']);
  });

  test("Scenario Outline rows become scenarios with their values substituted", async () => {
    const summary = await run(`Feature: outline
  Scenario Outline: shout <word>
    Given the parameter "text" is "<word>"
    When the component runs
    Then the output field "text" is "<upper>"

    Examples:
      | word | upper |
      | a    | A     |
      | bc   | BX    |
`);
    assert.equal(summary.passed, 1);
    assert.equal(summary.failed, 1);
    assert.deepEqual(summary.results.map((r) => r.line), [9, 10]);
    assert.match(summary.results[1].error!, /shout\.feature:5: the output field "text" is "BX"\n {2}the output field "text" is "BC", expected "BX"/);
  });

  test("a failing expectation, an unknown step and a missing run are reported with their line", async () => {
    const summary = await run(`Feature: wrong
  Scenario: expects failure
    Given the parameter "text" is "ok"
    When the component runs
    Then it fails with code "exploded"

  Scenario: unknown
    When the component dances

  Scenario: no run
    Then it succeeds

  Scenario: bad JSON
    Given the parameter "text" is hello
`);
    const byName = Object.fromEntries(summary.results.map((r) => [r.name, r]));
    assert.match(byName["expects failure"].error!, /:5: it fails with code "exploded"\n  the component succeeded with .*but a failure was expected/);
    assert.equal(byName.unknown.status, "undefined");
    assert.match(byName.unknown.error!, /no step matches "the component dances"/);
    assert.match(byName["no run"].error!, /has not run/);
    assert.match(byName["bad JSON"].error!, /parameter "text" is not JSON/);
    assert.equal(summary.passed, 0);
  });

  test("a list of n distinct items: the count and every repeat are checked", async () => {
    const lists: Component = {
      name: "lists",
      kind: "builtin",
      contract: { name: "lists", version: "1.0.0", description: "test" },
      async run() {
        return { success: true, data: { unique: ["a", { b: 1 }, 2], repeated: ["x", { b: 1 }, { b: 1 }], text: "abc" } };
      },
    };
    const steps = [
      'the output field "unique" is a list of 3 distinct items',
      'the output field "unique" is a list of 2 distinct items',
      'the output field "repeated" is a list of 3 distinct items',
      'the output field "text" is a list of 3 distinct items',
      "the output is a list of 1 distinct items",
    ];
    const text = `Feature: lists\n${steps.map((s, i) => `  Scenario: s${i}\n    When the component runs\n    Then ${s}\n`).join("")}`;
    const summary = await runFeatures({ component: lists, features: [{ uri: "lists.feature", text }] });
    assert.deepEqual(summary.results.map((r) => r.status), ["passed", "failed", "failed", "failed", "failed"]);
    assert.match(summary.results[1].error!, /to have 2 items, got 3/);
    assert.match(summary.results[2].error!, /repeats \{"b":1\} at index 2/);
    assert.match(summary.results[3].error!, /to be a list, got "abc"/);
    assert.match(summary.results[4].error!, /the output to be a list/);
  });

  test("a syntax error in a feature file is one failed result naming the file", async () => {
    const summary = await run("Feature: x\n  Scenario: y\n    Given the input:\n      \"\"\"\n      {}\n");
    assert.equal(summary.failed, 1);
    assert.match(summary.results[0].error!, /shout\.feature/);
    assert.throws(() => parseFeature({ uri: "a.feature", text: "Scenario without feature" }), (e: Error & { code?: string }) => e.code === "invalid_feature");
  });
});
