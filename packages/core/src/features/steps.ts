// The step vocabulary of component feature files. Values are JSON: `"text"`, `42`, `true`,
// `{"a": 1}`; a trailing colon takes the value from the docstring below the step.
//
//   Given the input:                               (docstring: the parameters object)
//   Given the parameter "text" is "héllo"
//   Given the parameter "schema" is:               (docstring)
//   Given the limit "timeout_ms" is 50
//   When the component runs
//   Then it succeeds
//   Then the output is "HELLO"          /  Then the output is:            (docstring)
//   Then the output field "a.b.0" is 1  /  Then the output field "a" is:  (docstring)
//   Then the output contains "ell"      /  Then the output field "a" contains "x"
//   Then the output matches "^[0-9a-f]{64}$"
//   Then the output is a list of 100 distinct items  /  Then the output field "ids" is a list of ...
//   Then it fails with code "invalid_input"
//   Then the error message contains "text"
//   Then the error details are:                    (docstring: exact JSON)
//   Then the error details include:                (docstring: a list; each item must appear)
import type { NodeOutcome, ResolvedLimits } from "../components/types";
import type { ScenarioStep } from "./parse";
import { setOwn } from "../json/own";

export interface World {
  params: Record<string, unknown>;
  limits: Partial<ResolvedLimits>;
  outcome?: NodeOutcome;
  logs: string[];
  /** runs the component with `params` and `limits`; set by the runner */
  run(): Promise<void>;
}

export class StepFailure extends Error {}

interface StepDefinition {
  pattern: RegExp;
  run(world: World, match: RegExpMatchArray, step: ScenarioStep): void | Promise<void>;
}

const Q = '"((?:[^"\\\\]|\\\\.)*)"'; // a quoted string, with \" escapes
const VALUE = "(?: is (.+)| is:)"; // inline JSON, or a docstring after the colon

export const STEPS: StepDefinition[] = [
  {
    pattern: /^the (?:input|parameters)(?: is)?:$/,
    run(world, _m, step) {
      const value = json(docString(step), "the input");
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new StepFailure("the input must be a JSON object");
      world.params = value as Record<string, unknown>;
    },
  },
  {
    pattern: new RegExp(`^the parameter ${Q}${VALUE}$`),
    run(world, m, step) {
      setOwn(world.params, unquote(m[1]), valueOf(m[2], step, `parameter "${unquote(m[1])}"`));
    },
  },
  {
    pattern: new RegExp(`^the limit ${Q} is (\\d+)$`),
    run(world, m) {
      (world.limits as Record<string, number>)[unquote(m[1])] = Number(m[2]);
    },
  },
  {
    pattern: /^(?:the component runs|I run the component|it runs)$/,
    async run(world) {
      await world.run();
    },
  },
  {
    pattern: /^(?:it|the run) succeeds$/,
    run(world) {
      data(world);
    },
  },
  {
    // exactly n items, no two equal as JSON (generated ids, samples); before "the output is <json>"
    pattern: new RegExp(`^the output(?: field ${Q})? is a list of (\\d+) distinct items$`),
    run(world, m) {
      const path = m[1] === undefined ? "" : unquote(m[1]);
      const value = path ? field(data(world), path) : data(world);
      const what = path ? `"${path}"` : "the output";
      if (!Array.isArray(value)) throw new StepFailure(`expected ${what} to be a list, got ${show(value)}`);
      const expected = Number(m[2]);
      if (value.length !== expected) throw new StepFailure(`expected ${what} to have ${expected} items, got ${value.length}`);
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) throw new StepFailure(`${what} repeats ${show(item)} at index ${i}`);
        seen.add(key);
      });
    },
  },
  {
    pattern: new RegExp(`^the output${VALUE}$`),
    run(world, m, step) {
      expectEqual(data(world), valueOf(m[1], step, "the expected output"), "the output");
    },
  },
  {
    pattern: new RegExp(`^the output field ${Q}${VALUE}$`),
    run(world, m, step) {
      const path = unquote(m[1]);
      expectEqual(field(data(world), path), valueOf(m[2], step, `the expected "${path}"`), `the output field "${path}"`);
    },
  },
  {
    pattern: new RegExp(`^the output(?: field ${Q})? contains ${Q}$`),
    run(world, m) {
      const path = m[1] === undefined ? "" : unquote(m[1]);
      const value = path ? field(data(world), path) : data(world);
      const needle = unquote(m[2]);
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (!text.includes(needle)) throw new StepFailure(`expected ${path ? `"${path}"` : "the output"} to contain ${JSON.stringify(needle)}, got ${show(value)}`);
    },
  },
  {
    pattern: new RegExp(`^the output(?: field ${Q})? matches ${Q}$`),
    run(world, m) {
      const path = m[1] === undefined ? "" : unquote(m[1]);
      const value = path ? field(data(world), path) : data(world);
      const pattern = new RegExp(unquote(m[2]), "u");
      if (typeof value !== "string" || !pattern.test(value)) throw new StepFailure(`expected ${path ? `"${path}"` : "the output"} to match /${pattern.source}/, got ${show(value)}`);
    },
  },
  {
    pattern: new RegExp(`^it fails with (?:the )?code ${Q}$`),
    run(world, m) {
      const code = unquote(m[1]);
      const error = failure(world);
      if (error.code !== code) throw new StepFailure(`expected error code "${code}", got "${error.code}": ${error.message}`);
    },
  },
  {
    pattern: new RegExp(`^the error message contains ${Q}$`),
    run(world, m) {
      const needle = unquote(m[1]);
      const { message } = failure(world);
      if (!message.includes(needle)) throw new StepFailure(`expected the error message to contain ${JSON.stringify(needle)}, got ${JSON.stringify(message)}`);
    },
  },
  {
    pattern: /^the error details are:$/,
    run(world, _m, step) {
      expectEqual(failure(world).details, json(docString(step), "the expected details"), "the error details");
    },
  },
  {
    pattern: /^the error details include:$/,
    run(world, _m, step) {
      const expected = json(docString(step), "the expected details");
      const details = failure(world).details;
      if (!Array.isArray(expected) || !Array.isArray(details)) throw new StepFailure(`expected the error details to be a list, got ${show(details)}`);
      for (const item of expected) {
        if (!details.some((d) => deepEqual(d, item))) throw new StepFailure(`the error details lack ${show(item)}; they are ${show(details)}`);
      }
    },
  },
];

function unquote(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

function docString(step: ScenarioStep): string {
  if (step.docString === undefined) throw new StepFailure('this step needs a docstring (""" ... """) below it');
  return step.docString;
}

function json(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StepFailure(`${what} is not JSON (${(error as Error).message}): ${text.trim().slice(0, 80)}`);
  }
}

function valueOf(inline: string | undefined, step: ScenarioStep, what: string): unknown {
  return inline === undefined ? json(docString(step), what) : json(inline, what);
}

function data(world: World): unknown {
  const outcome = ran(world);
  if (!outcome.success) throw new StepFailure(`the component failed with ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.data;
}

function failure(world: World) {
  const outcome = ran(world);
  if (outcome.success) throw new StepFailure(`the component succeeded with ${show(outcome.data)}, but a failure was expected`);
  return outcome.error;
}

function ran(world: World): NodeOutcome {
  if (!world.outcome) throw new StepFailure('the component has not run: add "When the component runs" first');
  return world.outcome;
}

/** "a.b.0.c": object keys and array indexes separated by dots. */
function field(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") throw new StepFailure(`the output has no field "${path}" (stopped at "${part}" in ${show(current)})`);
    if (!(part in (current as object))) throw new StepFailure(`the output has no field "${path}": ${show(value)}`);
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (!deepEqual(actual, expected)) throw new StepFailure(`${what} is ${show(actual)}, expected ${show(expected)}`);
}

/** JSON equality: same types, same keys (any order), same array order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
