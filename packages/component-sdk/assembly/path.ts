// Paths into JSON values: "user.name", "items.0.id", "items[0].id", "items[-1]" (from the end)
// and ["key.with.dots"] for keys holding dots or brackets. A segment names an object key, or
// on an array an index. Used by the json_* and array_* components.
import { fail, JSON } from "./index";

export class Path {
  segments: string[] = [];
  /** where each segment ends in `text`, so messages can quote the path up to a segment */
  ends: i32[] = [];
  constructor(public text: string) {}
  get length(): i32 { return this.segments.length; }
  /** The path up to and including segment `k` ("" for k < 0). */
  prefix(k: i32): string { return k < 0 ? "" : this.text.substring(0, this.ends[k]); }
}

/** Parses `text`; a malformed path fails with `invalid_path` naming `param` and the position. */
export function parsePath(text: string, param: string): Path {
  const path = new Path(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let end: i32;
    if (c == 0x5b) { // [
      const quoted = i + 1 < n && text.charCodeAt(i + 1) == 0x22;
      end = quoted ? text.indexOf("\"]", i + 2) : text.indexOf("]", i + 1);
      if (end < 0) badPath(text, param, i, "an unclosed '['");
      const inner = quoted ? text.substring(i + 2, end) : text.substring(i + 1, end);
      if (!quoted && parseIndex(inner) == NOT_AN_INDEX) badPath(text, param, i + 1, "an index that is not an integer");
      path.segments.push(inner);
      end += quoted ? 2 : 1;
    } else {
      end = i;
      while (end < n && text.charCodeAt(end) != 0x2e && text.charCodeAt(end) != 0x5b) end++;
      if (end == i) badPath(text, param, i, "an empty key");
      path.segments.push(text.substring(i, end));
    }
    path.ends.push(end);
    i = end;
    if (i < n && text.charCodeAt(i) == 0x2e) { // a dot must be followed by a key
      i++;
      if (i == n || text.charCodeAt(i) == 0x2e || text.charCodeAt(i) == 0x5b) badPath(text, param, i, "an empty key");
    } else if (i < n && text.charCodeAt(i) != 0x5b) {
      badPath(text, param, i, "'" + text.charAt(i) + "' after ']' (use '.' or '[')");
    }
  }
  return path;
}

function badPath(text: string, param: string, at: i32, what: string): void {
  fail("invalid_path", param + ": '" + text + "' has " + what + " at position " + at.toString() + "; write paths like user.name, items.0.id or items[0].id");
}

const NOT_AN_INDEX: i32 = i32.MIN_VALUE;

/** "0", "12", "-1" as a number (an optional minus, 1 to 9 digits, no leading zero), else NOT_AN_INDEX. */
function parseIndex(s: string): i32 {
  const start = s.length > 0 && s.charCodeAt(0) == 0x2d ? 1 : 0;
  const digits = s.length - start;
  if (digits < 1 || digits > 9 || (digits > 1 && s.charCodeAt(start) == 0x30)) return NOT_AN_INDEX;
  let value = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return NOT_AN_INDEX;
    value = value * 10 + (c - 0x30);
  }
  return start == 1 ? -value : value;
}

/** The array index `segment` names in an array of `length` items, or -1 (negative counts from the end). */
export function indexIn(segment: string, length: i32): i32 {
  let i = parseIndex(segment);
  if (i == NOT_AN_INDEX) return -1;
  if (i < 0) i += length;
  return i >= 0 && i < length ? i : -1;
}

/** The value under `segment` in `value`, or null when there is none. */
export function child(value: JSON.Value, segment: string): JSON.Value | null {
  if (value.isObject()) return value.asObject().get(segment);
  if (!value.isArray()) return null;
  const items = value.asArray().items;
  const i = indexIn(segment, items.length);
  return i < 0 ? null : items[i];
}

/** Fails with `path_not_found`: segment `k` of `path` is not in `parent`. */
export function notFound(path: Path, k: i32, parent: JSON.Value): JSON.Value {
  const segment = path.segments[k];
  const at = k == 0 ? "the data" : "'" + path.prefix(k - 1) + "'";
  let why: string;
  if (parent.isObject()) why = at + " has no key '" + segment + "'";
  else if (parent.isArray()) why = at + " is an array of " + parent.asArray().length.toString() + " items";
  else why = at + " is " + parent.typeName() + ", not an object or array";
  const details = JSON.obj()
    .set("path", JSON.str(path.text))
    .set("missing", JSON.str(path.prefix(k)))
    .set("segment", JSON.str(segment));
  return fail("path_not_found", "path '" + path.text + "' not found: " + why + " (missing '" + segment + "')", details);
}
