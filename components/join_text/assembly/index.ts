// join_text: a list of scalars → one text. Objects and lists have no single obvious text form,
// so they are refused with their index rather than joined as JSON or "[object Object]".
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const items = input.array("items").items;
  const separator = input.stringOr("separator", ", ");
  const last = input.stringOr("last_separator", separator);
  const out = new Builder();
  out.add(input.stringOr("prefix", ""));
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.add(i == items.length - 1 ? last : separator);
    out.add(textOf(items[i], i));
  }
  out.add(input.stringOr("suffix", ""));
  return JSON.str(out.toString());
});

function textOf(value: JSON.Value, index: i32): string {
  if (value.isString()) return value.asString();
  if (value.isNumber()) return JSON.formatNumber(value.asNumber());
  if (value.isBool()) return value.asBool() ? "true" : "false";
  if (value.isNull()) return "";
  return fail(
    "not_joinable",
    "items[" + index.toString() + "] is " + (value.isArray() ? "a list" : "an object") + ": only strings, numbers and booleans can be joined; pick a field of it first",
    JSON.obj().set("index", JSON.int(index)).set("type", JSON.str(value.typeName())),
  ).asString();
}

/**
 * Collects UTF-16 units in one growing buffer. Pushing many small strings into a string[]
 * costs quadratic time under the incremental GC (every push re-greys the whole array), so
 * long outputs are built here instead.
 */
class Builder {
  buf: Uint16Array = new Uint16Array(256);
  length: i32 = 0;
  add(s: string): void {
    this.reserve(s.length);
    memory.copy(this.buf.dataStart + (<usize>this.length << 1), changetype<usize>(s), <usize>s.length << 1);
    this.length += s.length;
  }
  unit(c: i32): void {
    this.reserve(1);
    unchecked((this.buf[this.length++] = <u16>c));
  }
  reserve(more: i32): void {
    if (this.length + more <= this.buf.length) return;
    const bigger = new Uint16Array(max(this.buf.length * 2, this.length + more));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
  toString(): string { return String.UTF16.decodeUnsafe(this.buf.dataStart, <usize>this.length << 1); }
}
