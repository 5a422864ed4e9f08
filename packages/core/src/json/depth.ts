/**
 * How deeply a JSON value nests, measured without recursion, so that checking input of any
 * depth cannot itself overflow the stack. Input deeper than MAX_INPUT_DEPTH is refused
 * before a run starts: JSON.stringify, structuredClone, the redactor and most components
 * recurse, and would fail in the middle of a run instead.
 */
import { arcrunError } from "../errors";

/** Levels of objects/arrays a trigger payload may nest (a scalar is depth 0, `{}` or `[]` depth 1). */
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests objects or arrays more than `limit` levels deep. Stops at the first such path. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** Throws the 400 `input_too_deep` when `value` nests more than `limit` levels; `what` names it ("the input"). */
export function assertDepth(value: unknown, what = "the input", limit = MAX_INPUT_DEPTH): void {
  if (!depthExceeds(value, limit)) return;
  throw arcrunError("input_too_deep", `${capitalize(what)} nests objects or lists more than ${limit} levels deep.`, {
    hint: `Flatten the data to at most ${limit} levels of nesting.`,
    details: { limit },
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
