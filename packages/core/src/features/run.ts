// Runs feature scenarios against a Component: the same Component (and so the same WASI host)
// the executor runs, which is what makes a passing feature file mean something.
import type { Component, NodeContext } from "../components/types";
import { resolveLimits } from "../run/limits";
import { parseFeature, type FeatureSource, type Scenario } from "./parse";
import { STEPS, StepFailure, type World } from "./steps";

export type ScenarioStatus = "passed" | "failed" | "undefined";

export interface ScenarioResult {
  component: string;
  feature: string;
  name: string;
  uri: string;
  line: number;
  status: ScenarioStatus;
  /** why it failed, with the failing step and its line */
  error?: string;
  durationMs: number;
  logs: string[];
}

export interface FeatureRunSummary {
  passed: number;
  failed: number;
  results: ScenarioResult[];
}

/** Parses and runs every scenario of `features` against `component`. Never throws for a failing scenario. */
export async function runFeatures({ component, features }: { component: Component; features: FeatureSource[] }): Promise<FeatureRunSummary> {
  const results: ScenarioResult[] = [];
  for (const source of features) {
    let scenarios: Scenario[];
    try {
      scenarios = parseFeature(source);
    } catch (error) {
      results.push({ component: component.name, feature: source.uri, name: "(parse)", uri: source.uri, line: 0, status: "failed", error: (error as Error).message, durationMs: 0, logs: [] });
      continue;
    }
    for (const scenario of scenarios) results.push(await runScenario(component, scenario));
  }
  const passed = results.filter((r) => r.status === "passed").length;
  return { passed, failed: results.length - passed, results };
}

/** Runs one scenario: every step in order, stopping at the first that fails. */
export async function runScenario(component: Component, scenario: Scenario): Promise<ScenarioResult> {
  const started = performance.now();
  const world: World = {
    params: {},
    limits: {},
    logs: [],
    async run() {
      world.outcome = await component.run(structuredClone(world.params), testContext(component, world));
    },
  };
  const result = (status: ScenarioStatus, error?: string): ScenarioResult => ({
    component: component.name,
    feature: scenario.feature,
    name: scenario.name,
    uri: scenario.uri,
    line: scenario.line,
    status,
    error,
    durationMs: performance.now() - started,
    logs: world.logs,
  });
  for (const step of scenario.steps) {
    const where = `${scenario.uri}:${step.line}`;
    const found = STEPS.map((definition) => ({ definition, match: step.text.match(definition.pattern) })).find((s) => s.match);
    if (!found) return result("undefined", `${where}: no step matches "${step.text}" (components/README.md lists the steps)`);
    try {
      await found.definition.run(world, found.match!, step);
    } catch (error) {
      const message = error instanceof StepFailure ? error.message : `step threw: ${(error as Error).stack ?? error}`;
      return result("failed", `${where}: ${step.text}\n  ${message}`);
    }
  }
  return result("passed");
}

function testContext(component: Component, world: World): NodeContext {
  return {
    runId: "features",
    node: component.name,
    attempt: 1,
    limits: resolveLimits(component.contract?.limits, world.limits),
    signal: new AbortController().signal,
    egress: [],
    fetch: async () => {
      throw new Error("feature scenarios have no network");
    },
    upstream: {},
    log: (line) => world.logs.push(line),
  };
}
