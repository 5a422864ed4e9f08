// JSON for AssemblyScript components: a value model, a strict RFC 8259 parser and a serializer
// that writes what JavaScript's JSON.stringify writes (numbers, escapes, lone surrogates).
// AssemblyScript strings are UTF-16 like JavaScript's, so \uXXXX escapes and surrogate pairs
// map one to one onto code units.
import { formatDouble, parseDecimal } from "./number";
import { fail } from "./result";

export namespace JSON {
  export enum Kind { NULL, BOOL, NUMBER, STRING, ARRAY, OBJECT }

  const KIND_NAMES: string[] = ["null", "boolean", "number", "string", "array", "object"];

  export class Value {
    constructor(public readonly kind: Kind) {}

    isNull(): boolean { return this.kind == Kind.NULL; }
    isBool(): boolean { return this.kind == Kind.BOOL; }
    isNumber(): boolean { return this.kind == Kind.NUMBER; }
    isString(): boolean { return this.kind == Kind.STRING; }
    isArray(): boolean { return this.kind == Kind.ARRAY; }
    isObject(): boolean { return this.kind == Kind.OBJECT; }
    /** A number with no fractional part (1.0 is an integer, as in JSON Schema). */
    isInteger(): boolean {
      if (this.kind != Kind.NUMBER) return false;
      const n = changetype<Num>(this).value;
      return isFinite(n) && Math.floor(n) == n;
    }
    /** "null", "boolean", "number", "string", "array" or "object". */
    typeName(): string { return KIND_NAMES[<i32>this.kind]; }

    // Typed views: a wrong type fails the node with `invalid_input` (the value came from the caller).
    asBool(): boolean { return changetype<Bool>(this.expect(Kind.BOOL)).value; }
    asNumber(): f64 { return changetype<Num>(this.expect(Kind.NUMBER)).value; }
    asString(): string { return changetype<Str>(this.expect(Kind.STRING)).value; }
    asArray(): Arr { return changetype<Arr>(this.expect(Kind.ARRAY)); }
    asObject(): Obj { return changetype<Obj>(this.expect(Kind.OBJECT)); }

    stringify(): string {
      const out = new Writer();
      write(out, this);
      return out.toString();
    }
    toString(): string { return this.stringify(); }

    private expect(kind: Kind): Value {
      if (this.kind != kind) fail("invalid_input", "expected " + KIND_NAMES[<i32>kind] + ", got " + this.typeName());
      return this;
    }
  }

  export class Null extends Value { constructor() { super(Kind.NULL); } }
  export class Bool extends Value { constructor(public value: boolean) { super(Kind.BOOL); } }
  export class Num extends Value { constructor(public value: f64) { super(Kind.NUMBER); } }
  export class Str extends Value { constructor(public value: string) { super(Kind.STRING); } }

  export class Arr extends Value {
    constructor(public items: Value[] = []) { super(Kind.ARRAY); }
    get length(): i32 { return this.items.length; }
    at(index: i32): Value { return this.items[index]; }
    push(value: Value): Arr { this.items.push(value); return this; }
  }

  /**
   * An object that keeps key insertion order, like JavaScript objects with string keys.
   * Keys and values are parallel arrays; past 8 keys an open-addressing index makes look-ups
   * O(1) (smaller than a Map, which every component would otherwise carry).
   */
  export class Obj extends Value {
    keys: string[] = [];
    values: Value[] = [];
    private slots: Int32Array | null = null; // slot → key index + 1, 0 = empty
    constructor() { super(Kind.OBJECT); }

    get size(): i32 { return this.keys.length; }
    has(key: string): boolean { return this.find(key) >= 0; }
    get(key: string): Value | null {
      const i = this.find(key);
      return i >= 0 ? this.values[i] : null;
    }
    set(key: string, value: Value): Obj {
      const i = this.find(key);
      if (i >= 0) {
        this.values[i] = value;
        return this;
      }
      this.keys.push(key);
      this.values.push(value);
      const slots = this.slots;
      if (slots === null ? this.keys.length > 8 : this.keys.length * 2 > slots.length) this.reindex();
      else if (slots !== null) this.place(slots, this.keys.length - 1);
      return this;
    }
    remove(key: string): boolean {
      const i = this.find(key);
      if (i < 0) return false;
      this.keys.splice(i, 1);
      this.values.splice(i, 1);
      this.slots = null;
      if (this.keys.length > 8) this.reindex();
      return true;
    }

    private find(key: string): i32 {
      const slots = this.slots;
      if (slots === null) return this.keys.indexOf(key);
      const mask = slots.length - 1;
      for (let h = hashOf(key) & mask; ; h = (h + 1) & mask) {
        const slot = unchecked(slots[h]);
        if (slot == 0) return -1;
        if (unchecked(this.keys[slot - 1]) == key) return slot - 1;
      }
      return -1;
    }
    private reindex(): void {
      let capacity = 16;
      while (capacity < this.keys.length * 4) capacity <<= 1;
      const slots = new Int32Array(capacity);
      for (let i = 0; i < this.keys.length; i++) this.place(slots, i);
      this.slots = slots;
    }
    private place(slots: Int32Array, index: i32): void {
      const mask = slots.length - 1;
      let h = hashOf(this.keys[index]) & mask;
      while (unchecked(slots[h]) != 0) h = (h + 1) & mask;
      unchecked((slots[h] = index + 1));
    }

    // Parameter accessors: a missing or mistyped required parameter fails with `invalid_input`.
    value(key: string): Value {
      const v = this.get(key);
      if (v === null) {
        fail("invalid_input", "missing parameter '" + key + "'");
        return NULL;
      }
      return v;
    }
    string(key: string): string { return changetype<Str>(this.typed(key, Kind.STRING)).value; }
    number(key: string): f64 { return changetype<Num>(this.typed(key, Kind.NUMBER)).value; }
    bool(key: string): boolean { return changetype<Bool>(this.typed(key, Kind.BOOL)).value; }
    array(key: string): Arr { return changetype<Arr>(this.typed(key, Kind.ARRAY)); }
    object(key: string): Obj { return changetype<Obj>(this.typed(key, Kind.OBJECT)); }
    integer(key: string): i64 {
      const v = this.typed(key, Kind.NUMBER);
      if (!v.isInteger()) fail("invalid_input", "parameter '" + key + "' must be an integer");
      return <i64>changetype<Num>(v).value;
    }
    // Optional parameters: absent or null gives the fallback; a wrong type still fails.
    stringOr(key: string, fallback: string): string { return this.present(key) ? this.string(key) : fallback; }
    numberOr(key: string, fallback: f64): f64 { return this.present(key) ? this.number(key) : fallback; }
    boolOr(key: string, fallback: boolean): boolean { return this.present(key) ? this.bool(key) : fallback; }
    integerOr(key: string, fallback: i64): i64 { return this.present(key) ? this.integer(key) : fallback; }

    private present(key: string): boolean {
      const v = this.get(key);
      return v !== null && !v.isNull();
    }
    private typed(key: string, kind: Kind): Value {
      const v = this.value(key);
      if (v.kind != kind) {
        fail("invalid_input", "parameter '" + key + "' must be " + (kind == Kind.ARRAY || kind == Kind.OBJECT ? "an " : "a ") + KIND_NAMES[<i32>kind] + ", got " + v.typeName());
      }
      return v;
    }
  }

  /** FNV-1a over the UTF-16 code units. */
  function hashOf(key: string): i32 {
    let h: u32 = 2166136261;
    for (let i = 0; i < key.length; i++) h = (h ^ <u32>key.charCodeAt(i)) * 16777619;
    return <i32>(h >>> 1);
  }

  // Constructors, so output reads `JSON.obj().set("n", JSON.num(1))`.
  export const NULL: Value = new JSON.Null();
  export function nul(): Value { return NULL; }
  export function bool(value: boolean): Value { return new Bool(value); }
  export function num(value: f64): Value { return new Num(value); }
  export function int(value: i64): Value { return new Num(<f64>value); }
  export function str(value: string): Value { return new Str(value); }
  export function arr(items: Value[] = []): Arr { return new Arr(items); }
  export function obj(): Obj { return new Obj(); }

  let lastError = "";

  /** Parses JSON text; null when it is not valid JSON (see `parseError()`). */
  export function tryParse(text: string): Value | null {
    const parser = new Parser(text);
    const value = parser.parseDocument();
    lastError = parser.error;
    return value;
  }

  /** Why the last `tryParse` returned null, with the character position. */
  export function parseError(): string { return lastError; }

  /** Parses JSON text or fails the node with `code` (default `invalid_json`). */
  export function parse(text: string, code: string = "invalid_json"): Value {
    const value = tryParse(text);
    if (value === null) {
      fail(code, "not valid JSON: " + lastError);
      return NULL;
    }
    return value;
  }

  /** Serializes a string as a JSON string literal (with quotes). */
  export function quote(s: string): string {
    const out = new Writer();
    writeString(out, s);
    return out.toString();
  }

  /** Formats a number as JavaScript does in JSON (integers without ".0", NaN/Infinity as null). */
  export function formatNumber(n: f64): string {
    if (!isFinite(n)) return "null";
    if (n == 0) return "0";
    if (Math.floor(n) == n && Math.abs(n) <= 9007199254740992) return (<i64>n).toString();
    return formatDouble(n);
  }

  // ---- serializer ----

  /**
   * Output text in one growing UTF-16 buffer. The incremental GC rescans a large array after
   * every push into it, so collecting the pieces in a string[] made big outputs quadratic.
   */
  class Writer {
    buffer: StaticArray<u16> = new StaticArray<u16>(64);
    length: i32 = 0;

    push(s: string): void {
      const n = s.length;
      let buffer = this.buffer;
      if (this.length + n > buffer.length) {
        let capacity = buffer.length << 1;
        while (capacity < this.length + n) capacity <<= 1;
        const grown = new StaticArray<u16>(capacity);
        memory.copy(changetype<usize>(grown), changetype<usize>(buffer), <usize>this.length << 1);
        this.buffer = buffer = grown;
      }
      memory.copy(changetype<usize>(buffer) + (<usize>this.length << 1), changetype<usize>(s), <usize>n << 1);
      this.length += n;
    }
    toString(): string { return String.UTF16.decodeUnsafe(changetype<usize>(this.buffer), <usize>this.length << 1); }
  }

  function write(out: Writer, value: Value): void {
    switch (value.kind) {
      case Kind.NULL: out.push("null"); break;
      case Kind.BOOL: out.push(changetype<Bool>(value).value ? "true" : "false"); break;
      case Kind.NUMBER: out.push(formatNumber(changetype<Num>(value).value)); break;
      case Kind.STRING: writeString(out, changetype<Str>(value).value); break;
      case Kind.ARRAY: {
        const items = changetype<Arr>(value).items;
        out.push("[");
        for (let i = 0; i < items.length; i++) {
          if (i > 0) out.push(",");
          write(out, items[i]);
        }
        out.push("]");
        break;
      }
      default: {
        const o = changetype<Obj>(value);
        out.push("{");
        for (let i = 0; i < o.keys.length; i++) {
          const key = o.keys[i];
          if (i > 0) out.push(",");
          writeString(out, key);
          out.push(":");
          write(out, o.values[i]);
        }
        out.push("}");
      }
    }
  }

  const HEX = "0123456789abcdef";

  function escapeUnit(c: i32): string {
    switch (c) {
      case 0x22: return "\\\"";
      case 0x5c: return "\\\\";
      case 0x08: return "\\b";
      case 0x0c: return "\\f";
      case 0x0a: return "\\n";
      case 0x0d: return "\\r";
      case 0x09: return "\\t";
    }
    return "\\u" + HEX.charAt((c >> 12) & 15) + HEX.charAt((c >> 8) & 15) + HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15);
  }

  function writeString(out: Writer, s: string): void {
    out.push("\"");
    let start = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      let escape: boolean = c < 0x20 || c == 0x22 || c == 0x5c;
      if (c >= 0xd800 && c <= 0xdfff) {
        // a well-formed pair passes through; a lone surrogate is escaped (ES2019 JSON.stringify)
        if (c <= 0xdbff && i + 1 < n) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
        }
        escape = true;
      }
      if (!escape) continue;
      if (i > start) out.push(s.substring(start, i));
      out.push(escapeUnit(c));
      start = i + 1;
    }
    if (start == 0) out.push(s);
    else if (start < n) out.push(s.substring(start));
    out.push("\"");
  }

  // ---- parser ----

  const MAX_DEPTH = 500;

  class Parser {
    pos: i32 = 0;
    error: string = "";
    depth: i32 = 0;
    constructor(public text: string) {}

    parseDocument(): Value | null {
      this.skipSpace();
      const value = this.parseValue();
      if (value === null) return null;
      this.skipSpace();
      if (this.pos < this.text.length) return this.fail();
      return value;
    }

    /** Records "unexpected 'x' at position N" (or the given reason) for the first error only. */
    fail(reason: string | null = null): Value | null {
      if (this.error.length == 0) {
        const what = reason !== null ? reason : this.pos < this.text.length ? "unexpected '" + this.text.charAt(this.pos) + "'" : "unexpected end of input";
        this.error = what + " at position " + this.pos.toString();
      }
      return null;
    }

    skipSpace(): void {
      const t = this.text;
      while (this.pos < t.length) {
        const c = t.charCodeAt(this.pos);
        if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
        this.pos++;
      }
    }

    literal(word: string, value: Value): Value | null {
      if (this.text.substr(this.pos, word.length) != word) return this.fail();
      this.pos += word.length;
      return value;
    }

    parseValue(): Value | null {
      if (this.pos >= this.text.length) return this.fail();
      const c = this.text.charCodeAt(this.pos);
      if (c == 0x7b) return this.parseObject();
      if (c == 0x5b) return this.parseArray();
      if (c == 0x22) {
        const s = this.parseString();
        return s === null ? null : new Str(s);
      }
      if (c == 0x74) return this.literal("true", new Bool(true));
      if (c == 0x66) return this.literal("false", new Bool(false));
      if (c == 0x6e) return this.literal("null", NULL);
      if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
      return this.fail();
    }

    enter(): boolean {
      if (++this.depth > MAX_DEPTH) {
        this.fail("nesting deeper than " + MAX_DEPTH.toString() + " levels");
        return false;
      }
      return true;
    }

    parseObject(): Value | null {
      if (!this.enter()) return null;
      this.pos++; // {
      const o = new Obj();
      this.skipSpace();
      if (this.pos < this.text.length && this.text.charCodeAt(this.pos) == 0x7d) {
        this.pos++;
        this.depth--;
        return o;
      }
      while (true) {
        this.skipSpace();
        if (this.pos >= this.text.length || this.text.charCodeAt(this.pos) != 0x22) return this.fail();
        const key = this.parseString();
        if (key === null) return null;
        this.skipSpace();
        if (this.pos >= this.text.length || this.text.charCodeAt(this.pos) != 0x3a) return this.fail();
        this.pos++;
        this.skipSpace();
        const value = this.parseValue();
        if (value === null) return null;
        o.set(key, value); // a repeated key keeps its first position and its last value, as in JavaScript
        this.skipSpace();
        if (this.pos >= this.text.length) return this.fail();
        const c = this.text.charCodeAt(this.pos++);
        if (c == 0x7d) break;
        if (c != 0x2c) { this.pos--; return this.fail(); }
      }
      this.depth--;
      return o;
    }

    parseArray(): Value | null {
      if (!this.enter()) return null;
      this.pos++; // [
      const a = new Arr();
      this.skipSpace();
      if (this.pos < this.text.length && this.text.charCodeAt(this.pos) == 0x5d) {
        this.pos++;
        this.depth--;
        return a;
      }
      while (true) {
        this.skipSpace();
        const value = this.parseValue();
        if (value === null) return null;
        a.items.push(value);
        this.skipSpace();
        if (this.pos >= this.text.length) return this.fail();
        const c = this.text.charCodeAt(this.pos++);
        if (c == 0x5d) break;
        if (c != 0x2c) { this.pos--; return this.fail(); }
      }
      this.depth--;
      return a;
    }

    /** At an opening quote; returns the decoded string or null (error set). */
    parseString(): string | null {
      const t = this.text;
      const n = t.length;
      let i = this.pos + 1;
      let start = i;
      let parts: string[] | null = null;
      while (true) {
        if (i >= n) { this.pos = i; this.fail(); return null; }
        const c = t.charCodeAt(i);
        if (c == 0x22) break;
        if (c < 0x20) { this.pos = i; this.fail(); return null; }
        if (c != 0x5c) { i++; continue; }
        if (parts === null) parts = [];
        if (i > start) parts.push(t.substring(start, i));
        if (i + 1 >= n) { this.pos = i; this.fail(); return null; }
        const e = t.charCodeAt(i + 1);
        let unit: i32 = -1;
        let width = 2;
        if (e == 0x22) unit = 0x22;
        else if (e == 0x5c) unit = 0x5c;
        else if (e == 0x2f) unit = 0x2f;
        else if (e == 0x62) unit = 0x08;
        else if (e == 0x66) unit = 0x0c;
        else if (e == 0x6e) unit = 0x0a;
        else if (e == 0x72) unit = 0x0d;
        else if (e == 0x74) unit = 0x09;
        else if (e == 0x75) {
          unit = i + 6 <= n ? hex4(t, i + 2) : -1;
          width = 6;
          if (unit < 0) { this.pos = i + 1; this.fail(); return null; }
        }
        if (unit < 0) { this.pos = i + 1; this.fail(); return null; }
        parts.push(String.fromCharCode(unit));
        i += width;
        start = i;
      }
      this.pos = i + 1;
      if (parts === null) return t.substring(start, i);
      if (i > start) parts.push(t.substring(start, i));
      return parts.join("");
    }

    parseNumber(): Value | null {
      const t = this.text;
      const n = t.length;
      const begin = this.pos;
      let i = begin;
      if (t.charCodeAt(i) == 0x2d) i++;
      if (i >= n || !isDigit(t.charCodeAt(i))) { this.pos = i; return this.fail(); }
      if (t.charCodeAt(i) == 0x30) i++;
      else while (i < n && isDigit(t.charCodeAt(i))) i++;
      if (i < n && t.charCodeAt(i) == 0x2e) {
        i++;
        if (i >= n || !isDigit(t.charCodeAt(i))) { this.pos = i; return this.fail(); }
        while (i < n && isDigit(t.charCodeAt(i))) i++;
      }
      if (i < n && (t.charCodeAt(i) | 0x20) == 0x65) {
        i++;
        if (i < n && (t.charCodeAt(i) == 0x2b || t.charCodeAt(i) == 0x2d)) i++;
        if (i >= n || !isDigit(t.charCodeAt(i))) { this.pos = i; return this.fail(); }
        while (i < n && isDigit(t.charCodeAt(i))) i++;
      }
      this.pos = i;
      return new Num(parseDecimal(t, begin, i));
    }
  }

  function isDigit(c: i32): boolean { return c >= 0x30 && c <= 0x39; }

  function hex4(t: string, at: i32): i32 {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = t.charCodeAt(at + k);
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }
}
