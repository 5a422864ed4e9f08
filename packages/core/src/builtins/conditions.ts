/**
 * A small declarative condition language for `if` and `switch`, evaluated by an interpreter
 * (Workers forbid eval and new Function; templates already resolved the values).
 *
 *   condition := true | false
 *              | {all: [condition, ...]} | [condition, ...]   (all)
 *              | {any: [condition, ...]}
 *              | {not: condition}
 *              | {value?, path?, op, to?, flags?}              (a test)
 *
 * A test reads `value` (or, in a switch case, the switch's value when `value` is left out),
 * optionally walks `path` inside it ("user.email", "items[0].id"; a missing step gives
 * undefined, so `exists` can test optional fields), and applies `op` with operand `to`.
 * Numbers and numeric strings compare as numbers (query strings arrive as text).
 */
import { closest } from "../errors";
import { parsePath } from "../templates/index";
import { hasOwn, ownValue } from "../json/own";

export const OPERATORS = [
  "eq", "ne", "gt", "gte", "lt", "lte", "contains", "not_contains", "starts_with", "ends_with",
  "matches", "in", "exists", "empty", "is_type",
] as const;
export type Operator = (typeof OPERATORS)[number];

const NEEDS_OPERAND = new Set<string>(["eq", "ne", "gt", "gte", "lt", "lte", "contains", "not_contains", "starts_with", "ends_with", "matches", "in", "is_type"]);
const TEST_KEYS = ["value", "path", "op", "to", "flags"];
const TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"];
const MAX_PATTERN = 1000;

/** A condition written wrongly: `where` is its path inside the params, e.g. `condition.all[1].op`. */
export class ConditionError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "ConditionError";
  }
}

export interface EvaluateOptions {
  /** where the condition sits in the params, for messages */
  where?: string;
  /** the value a test reads when it has no `value` key (a switch case) */
  subject?: { value: unknown };
}

export function evaluateCondition(condition: unknown, options: EvaluateOptions = {}): boolean {
  return evaluate(condition, options.where ?? "condition", options.subject);
}

/** True when a switch case is written as a condition rather than a value to compare. */
export function isConditionObject(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return "op" in value || (keys.length === 1 && (keys[0] === "all" || keys[0] === "any" || keys[0] === "not"));
}

function evaluate(c: unknown, where: string, subject?: { value: unknown }): boolean {
  if (typeof c === "boolean") return c;
  if (Array.isArray(c)) return c.every((item, i) => evaluate(item, `${where}[${i}]`, subject));
  if (!isPlainObject(c)) {
    throw new ConditionError(where, `expected a condition object ({value, op, to}, {all: [...]}, {any: [...]}, {not: ...}) or true/false, got ${describe(c)}`);
  }
  const keys = Object.keys(c);
  if ("all" in c || "any" in c || "not" in c) {
    if (keys.length !== 1) throw new ConditionError(where, `"${keys[0]}" must be the only key of its object (found ${keys.join(", ")})`);
    if ("not" in c) return !evaluate(c.not, `${where}.not`, subject);
    const key = "all" in c ? "all" : "any";
    const list = c[key];
    if (!Array.isArray(list)) throw new ConditionError(`${where}.${key}`, `expected a list of conditions, got ${describe(list)}`);
    return key === "all"
      ? list.every((item, i) => evaluate(item, `${where}.${key}[${i}]`, subject))
      : list.some((item, i) => evaluate(item, `${where}.${key}[${i}]`, subject));
  }
  for (const key of keys) {
    if (!TEST_KEYS.includes(key)) {
      const guess = closest(key, [...TEST_KEYS, "all", "any", "not"]);
      throw new ConditionError(`${where}.${key}`, `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}; a test has value, path, op, to and flags`);
    }
  }
  return test(c, where, subject);
}

function test(c: Record<string, unknown>, where: string, subject?: { value: unknown }): boolean {
  const op = c.op;
  if (typeof op !== "string" || !(OPERATORS as readonly string[]).includes(op)) {
    const guess = typeof op === "string" ? closest(op, OPERATORS) : undefined;
    throw new ConditionError(`${where}.op`, `${op === undefined ? "missing op" : `unknown operator ${JSON.stringify(op)}`}${guess ? ` (did you mean "${guess}"?)` : ""}; use one of ${OPERATORS.join(", ")}`);
  }
  if (!("value" in c) && !subject) throw new ConditionError(where, `missing "value": write {value: "{{input.field}}", op: ${op}${NEEDS_OPERAND.has(op) ? ", to: ..." : ""}}`);
  if (NEEDS_OPERAND.has(op) && !("to" in c)) throw new ConditionError(where, `operator ${op} needs "to" (what to compare with)`);
  let value = "value" in c ? c.value : subject!.value;
  if (c.path !== undefined) {
    if (typeof c.path !== "string") throw new ConditionError(`${where}.path`, `expected a path such as "user.email", got ${describe(c.path)}`);
    value = walk(value, c.path, `${where}.path`);
  }
  const to = c.to;
  switch (op as Operator) {
    case "eq": return looseEqual(value, to);
    case "ne": return !looseEqual(value, to);
    case "gt": return compare(value, to, (d) => d > 0);
    case "gte": return compare(value, to, (d) => d >= 0);
    case "lt": return compare(value, to, (d) => d < 0);
    case "lte": return compare(value, to, (d) => d <= 0);
    case "contains": return contains(value, to);
    case "not_contains": return !contains(value, to);
    case "starts_with": return typeof value === "string" && value.startsWith(String(to));
    case "ends_with": return typeof value === "string" && value.endsWith(String(to));
    case "matches": return typeof value === "string" && regex(to, c.flags, where).test(value);
    case "in":
      if (Array.isArray(to)) return to.some((item) => looseEqual(value, item));
      if (typeof to === "string") return typeof value === "string" && to.includes(value);
      throw new ConditionError(`${where}.to`, `operator in needs a list (or a text) in "to", got ${describe(to)}`);
    case "exists": return value !== undefined && value !== null;
    case "empty": return isEmpty(value);
    case "is_type":
      if (typeof to !== "string" || !TYPES.includes(to)) throw new ConditionError(`${where}.to`, `is_type needs one of ${TYPES.join(", ")}, got ${describe(to)}`);
      return typeOf(value) === to || (to === "number" && typeOf(value) === "integer");
  }
}

function walk(value: unknown, path: string, where: string): unknown {
  let segments;
  try {
    segments = parsePath(`_${path.startsWith("[") ? "" : "."}${path}`).slice(1);
  } catch (error) {
    throw new ConditionError(where, `bad path "${path}": ${(error as Error).message}`);
  }
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = ownValue(current, segment); // an own key only: `constructor` of {} does not exist
  }
  return current;
}

function regex(pattern: unknown, flags: unknown, where: string): RegExp {
  if (typeof pattern !== "string") throw new ConditionError(`${where}.to`, `matches needs a regular expression as text, got ${describe(pattern)}`);
  if (pattern.length > MAX_PATTERN) throw new ConditionError(`${where}.to`, `pattern is longer than ${MAX_PATTERN} characters`);
  if (flags !== undefined && (typeof flags !== "string" || !/^[imsu]*$/.test(flags))) {
    throw new ConditionError(`${where}.flags`, `flags may only use i, m, s and u, got ${describe(flags)}`);
  }
  try {
    return new RegExp(pattern, flags as string | undefined);
  } catch (error) {
    throw new ConditionError(`${where}.to`, `invalid regular expression: ${(error as Error).message}`);
  }
}

const numeric = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined;

/** Deep equality, except that a number equals a numeric string with the same value. */
export function looseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") {
    const [x, y] = [numeric(a), numeric(b)];
    return x !== undefined && y !== undefined && x === y;
  }
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => looseEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && looseEqual(a[k], b[k]));
  }
  return false;
}

/** Numbers (or a number and a numeric string) compare as numbers; two strings compare as text; anything else is false. */
function compare(a: unknown, b: unknown, accept: (difference: number) => boolean): boolean {
  if (typeof a === "string" && typeof b === "string" && (numeric(a) === undefined || numeric(b) === undefined)) {
    return accept(a < b ? -1 : a > b ? 1 : 0);
  }
  const [x, y] = [numeric(a), numeric(b)];
  return x !== undefined && y !== undefined && accept(x - y);
}

function contains(value: unknown, to: unknown): boolean {
  if (typeof value === "string") return value.includes(String(to));
  if (Array.isArray(value)) return value.some((item) => looseEqual(item, to));
  if (isPlainObject(value)) return typeof to === "string" && Object.prototype.hasOwnProperty.call(value, to);
  return false;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value)?.slice(0, 80) ?? String(value);
}
