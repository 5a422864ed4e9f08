/**
 * JSON texts the engine already made, kept beside the values they encode, so a value is
 * turned into JSON once per run instead of three or four times: a code node makes its input's
 * text and gets its result as text, the node runner measures every output's size, and the run
 * record writes inputs and outputs again. Only objects and arrays are kept (a WeakMap: a text
 * lives as long as its value, and primitives cost nothing to encode).
 *
 * A text stays right because the engine never changes a value once a node has produced it:
 * templates hand values on by reference, and every component that reshapes data builds new
 * objects (a code node's data crosses the sandbox as JSON; `set` copies JSONata's result).
 * A redacted record is a copy (Redactor.value), so its values have no text here and are
 * encoded afresh: a secret never comes back through a kept text.
 */
const known = new WeakMap<object, string>();

/** JSON.stringify(value ?? null), made once per object or array. Throws as JSON.stringify does (cycles, BigInt). */
export function jsonOf(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null) ?? "null";
  let text = known.get(value);
  if (text === undefined) {
    text = (JSON.stringify(value) as string | undefined) ?? "null"; // undefined: a toJSON that returned nothing
    known.set(value, text);
  }
  return text;
}

/** Records that `text` is JSON.stringify(value) (a value just parsed from it); returns the value. */
export function withJson<T>(value: T, text: string): T {
  if (value !== null && typeof value === "object") known.set(value, text);
  return value;
}

/**
 * JSON.stringify of a plain object whose values may have texts already (a node's traced
 * input: its parameters, e.g. `{input: <the run's input>}`): those are spliced in, the rest
 * encoded. Keys and omissions as JSON.stringify (undefined, functions and symbols dropped).
 */
export function jsonOfFields(fields: unknown): string {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields) || typeof (fields as { toJSON?: unknown }).toJSON === "function") return jsonOf(fields);
  const cached = known.get(fields);
  if (cached !== undefined) return cached;
  let text = "{";
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    const encoded = value !== null && typeof value === "object" ? jsonOf(value) : JSON.stringify(value);
    if (encoded === undefined) continue;
    if (text.length > 1) text += ",";
    text += JSON.stringify(key) + ":" + encoded;
  }
  return text + "}";
}
