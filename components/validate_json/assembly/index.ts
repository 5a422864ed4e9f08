// validate_json: checks `data` against a JSON Schema (draft 2020-12) and returns the data when it
// is valid; otherwise fails with code `validation_failed` and every violation in error.details as
// {path, message}, `path` being a JSON Pointer into the data ("" is the data itself).
//
// Keywords: type, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
// minLength, maxLength (Unicode code points), items, prefixItems, minItems, maxItems, uniqueItems,
// required, properties, additionalProperties, minProperties, maxProperties, dependentRequired,
// allOf, anyOf, oneOf, not, if/then/else, and $ref to the same document ("#", "#/$defs/x").
// Annotations (title, description, default, examples, format, $comment, ...) are ignored, as the
// specification says. Assertions this component cannot evaluate (pattern, patternProperties, ...)
// fail with `unsupported_schema` instead of passing data unchecked.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

const UNSUPPORTED = [
  "pattern", "patternProperties", "propertyNames", "contains", "minContains", "maxContains",
  "unevaluatedItems", "unevaluatedProperties", "dependentSchemas", "$dynamicRef", "$recursiveRef",
];
const TYPES = ["null", "boolean", "object", "array", "number", "string", "integer"];
const MAX_REF_DEPTH = 600;
const SCHEMA_LIST = "a non-empty array of schemas";
const NAME_LIST = "an array of property names";
const TYPE_NAMES = "a JSON type name or a list of them";

class Violation {
  constructor(public path: string, public message: string) {}
}

run((input: JSON.Obj): JSON.Value => {
  const schema = input.value("schema");
  const data = input.value("data");
  if (!schema.isObject() && !schema.isBool()) {
    return fail("invalid_schema", "the schema must be an object or a boolean, got " + schema.typeName());
  }
  const checker = new Checker(schema);
  const violations: Violation[] = [];
  checker.check(schema, data, "", "#", violations);
  if (violations.length == 0) return data;

  const details = JSON.arr();
  const shown: string[] = [];
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i];
    details.push(JSON.obj().set("path", JSON.str(v.path)).set("message", JSON.str(v.message)));
    if (i < 3) shown.push((v.path.length ? v.path : "(root)") + " " + v.message);
  }
  const count = violations.length;
  const more = count > 3 ? "; and " + (count - 3).toString() + " more" : "";
  return fail("validation_failed", "The data does not match the schema: " + count.toString() + (count == 1 ? " problem: " : " problems: ") + shown.join("; ") + more, details);
});

class Checker {
  refDepth: i32 = 0;
  constructor(public root: JSON.Value) {}

  /** Adds to `out` every violation of `data` (at `path`) against `schema` (at `at`). */
  check(schema: JSON.Value, data: JSON.Value, path: string, at: string, out: Violation[]): void {
    if (schema.isBool()) {
      if (!schema.asBool()) out.push(new Violation(path, "is not allowed (the schema is false)"));
      return;
    }
    if (!schema.isObject()) badKeyword(at, "", "a schema (an object or a boolean)");
    const s = schema.asObject();
    for (let i = 0; i < UNSUPPORTED.length; i++) {
      if (s.has(UNSUPPORTED[i])) {
        unsupported(at + "/" + UNSUPPORTED[i], "the keyword " + UNSUPPORTED[i]);
      }
    }
    if (s.has("$ref")) this.checkRef(s, data, path, at, out);
    if (s.has("type")) checkType(s.value("type"), data, path, at, out);
    if (s.has("enum")) checkEnum(s.value("enum"), data, path, at, out);
    if (s.has("const") && !equal(s.value("const"), data)) {
      out.push(new Violation(path, "must be equal to " + preview(s.value("const"))));
    }
    if (data.isNumber()) checkNumber(s, data.asNumber(), path, at, out);
    if (data.isString()) checkString(s, data.asString(), path, at, out);
    if (data.isArray()) this.checkArray(s, data.asArray(), path, at, out);
    if (data.isObject()) this.checkObject(s, data.asObject(), path, at, out);
    this.checkCombinators(s, data, path, at, out);
  }

  /** True when `data` matches `schema`, without reporting. */
  matches(schema: JSON.Value, data: JSON.Value, path: string, at: string): bool {
    const scratch: Violation[] = [];
    this.check(schema, data, path, at, scratch);
    return scratch.length == 0;
  }

  checkRef(s: JSON.Obj, data: JSON.Value, path: string, at: string, out: Violation[]): void {
    const ref = s.value("$ref");
    if (!ref.isString()) badKeyword(at, "$ref", "a string");
    const target = ref.asString();
    if (target != "#" && !target.startsWith("#/")) unsupported(at + "/$ref", "$ref other than #/ pointers");
    if (++this.refDepth > MAX_REF_DEPTH) badKeyword(at, "$ref", "free of cycles");
    this.check(resolvePointer(this.root, target, at), data, path, target, out);
    this.refDepth--;
  }

  checkArray(s: JSON.Obj, a: JSON.Arr, path: string, at: string, out: Violation[]): void {
    let prefix = 0;
    if (s.has("prefixItems")) {
      const p = s.value("prefixItems");
      if (!p.isArray()) badKeyword(at, "prefixItems", SCHEMA_LIST);
      const schemas = p.asArray();
      prefix = schemas.length;
      for (let i = 0; i < schemas.length && i < a.length; i++) {
        this.check(schemas.at(i), a.at(i), path + "/" + i.toString(), at + "/prefixItems/" + i.toString(), out);
      }
    }
    if (s.has("items")) {
      const items = s.value("items");
      if (items.isArray()) badKeyword(at, "items", "one schema");
      for (let i = prefix; i < a.length; i++) this.check(items, a.at(i), path + "/" + i.toString(), at + "/items", out);
    }
    if (s.has("minItems")) {
      const min = count(s, "minItems", at);
      if (a.length < min) out.push(new Violation(path, "must have at least " + min.toString() + " items, got " + a.length.toString()));
    }
    if (s.has("maxItems")) {
      const max = count(s, "maxItems", at);
      if (a.length > max) out.push(new Violation(path, "must have at most " + max.toString() + " items, got " + a.length.toString()));
    }
    if (s.has("uniqueItems") && s.value("uniqueItems").isBool() && s.value("uniqueItems").asBool()) {
      for (let i = 0; i < a.length; i++) {
        for (let j = i + 1; j < a.length; j++) {
          if (equal(a.at(i), a.at(j))) {
            out.push(new Violation(path, "must not contain duplicates (items " + i.toString() + " and " + j.toString() + " are equal)"));
            return;
          }
        }
      }
    }
  }

  checkObject(s: JSON.Obj, o: JSON.Obj, path: string, at: string, out: Violation[]): void {
    if (s.has("required")) {
      const required = s.value("required");
      if (!required.isArray()) badKeyword(at, "required", NAME_LIST);
      const names = required.asArray();
      for (let i = 0; i < names.length; i++) {
        if (!names.at(i).isString()) badKeyword(at, "required", NAME_LIST);
        const name = names.at(i).asString();
        if (!o.has(name)) out.push(new Violation(path + "/" + escapeToken(name), "is required"));
      }
    }
    let declared: JSON.Obj | null = null;
    if (s.has("properties")) {
      const p = s.value("properties");
      if (!p.isObject()) badKeyword(at, "properties", "an object of schemas");
      declared = p.asObject();
      for (let i = 0; i < declared.keys.length; i++) {
        const key = declared.keys[i];
        const value = o.get(key);
        if (value !== null) this.check(declared.get(key)!, value, path + "/" + escapeToken(key), at + "/properties/" + escapeToken(key), out);
      }
    }
    if (s.has("additionalProperties")) {
      const extra = s.value("additionalProperties");
      for (let i = 0; i < o.keys.length; i++) {
        const key = o.keys[i];
        if (declared !== null && declared.has(key)) continue;
        const where = path + "/" + escapeToken(key);
        if (extra.isBool() && !extra.asBool()) out.push(new Violation(where, "is not allowed (additionalProperties is false)"));
        else this.check(extra, o.get(key)!, where, at + "/additionalProperties", out);
      }
    }
    if (s.has("minProperties")) {
      const min = count(s, "minProperties", at);
      if (o.size < min) out.push(new Violation(path, "must have at least " + min.toString() + " properties, got " + o.size.toString()));
    }
    if (s.has("maxProperties")) {
      const max = count(s, "maxProperties", at);
      if (o.size > max) out.push(new Violation(path, "must have at most " + max.toString() + " properties, got " + o.size.toString()));
    }
    if (s.has("dependentRequired")) {
      const dr = s.value("dependentRequired");
      if (!dr.isObject()) badKeyword(at, "dependentRequired", "an object of name lists");
      const deps = dr.asObject();
      for (let i = 0; i < deps.keys.length; i++) {
        const key = deps.keys[i];
        if (!o.has(key)) continue;
        const needed = deps.get(key)!;
        if (!needed.isArray()) badKeyword(at + "/dependentRequired", escapeToken(key), NAME_LIST);
        const names = needed.asArray();
        for (let j = 0; j < names.length; j++) {
          const name = names.at(j).asString();
          if (!o.has(name)) out.push(new Violation(path + "/" + escapeToken(name), "is required when \"" + key + "\" is present"));
        }
      }
    }
  }

  checkCombinators(s: JSON.Obj, data: JSON.Value, path: string, at: string, out: Violation[]): void {
    if (s.has("allOf")) {
      const all = schemaList(s, "allOf", at);
      for (let i = 0; i < all.length; i++) this.check(all.at(i), data, path, at + "/allOf/" + i.toString(), out);
    }
    if (s.has("anyOf")) {
      const any = schemaList(s, "anyOf", at);
      let ok = false;
      for (let i = 0; i < any.length && !ok; i++) ok = this.matches(any.at(i), data, path, at + "/anyOf/" + i.toString());
      if (!ok) out.push(new Violation(path, "must match an anyOf schema"));
    }
    if (s.has("oneOf")) {
      const one = schemaList(s, "oneOf", at);
      let matched = 0;
      for (let i = 0; i < one.length; i++) if (this.matches(one.at(i), data, path, at + "/oneOf/" + i.toString())) matched++;
      if (matched != 1) out.push(new Violation(path, "must match exactly one oneOf schema (matched " + matched.toString() + ")"));
    }
    if (s.has("not") && this.matches(s.value("not"), data, path, at + "/not")) {
      out.push(new Violation(path, "must not match the schema in \"not\""));
    }
    if (s.has("if")) {
      if (this.matches(s.value("if"), data, path, at + "/if")) {
        if (s.has("then")) this.check(s.value("then"), data, path, at + "/then", out);
      } else if (s.has("else")) {
        this.check(s.value("else"), data, path, at + "/else", out);
      }
    }
  }
}

function checkType(type: JSON.Value, data: JSON.Value, path: string, at: string, out: Violation[]): void {
  const names: string[] = [];
  if (type.isString()) names.push(type.asString());
  else if (type.isArray()) {
    const list = type.asArray();
    for (let i = 0; i < list.length; i++) {
      if (!list.at(i).isString()) badKeyword(at, "type", TYPE_NAMES);
      names.push(list.at(i).asString());
    }
  } else badKeyword(at, "type", TYPE_NAMES);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (!TYPES.includes(name)) badKeyword(at, "type", TYPE_NAMES + ", not \"" + name + "\"");
    if (name == data.typeName() || (name == "integer" && data.isInteger())) return;
  }
  out.push(new Violation(path, "must be " + names.join(" or ") + ", got " + data.typeName()));
}

function checkEnum(e: JSON.Value, data: JSON.Value, path: string, at: string, out: Violation[]): void {
  if (!e.isArray()) badKeyword(at, "enum", "an array");
  const values = e.asArray();
  for (let i = 0; i < values.length; i++) if (equal(values.at(i), data)) return;
  const listed: string[] = [];
  for (let i = 0; i < values.length; i++) listed.push(values.at(i).stringify());
  out.push(new Violation(path, "must be one of " + clip(listed.join(", "))));
}

function checkNumber(s: JSON.Obj, n: f64, path: string, at: string, out: Violation[]): void {
  if (s.has("minimum") && n < bound(s, "minimum", at)) out.push(new Violation(path, "must be >= " + JSON.formatNumber(bound(s, "minimum", at))));
  if (s.has("maximum") && n > bound(s, "maximum", at)) out.push(new Violation(path, "must be <= " + JSON.formatNumber(bound(s, "maximum", at))));
  if (s.has("exclusiveMinimum") && n <= bound(s, "exclusiveMinimum", at)) out.push(new Violation(path, "must be > " + JSON.formatNumber(bound(s, "exclusiveMinimum", at))));
  if (s.has("exclusiveMaximum") && n >= bound(s, "exclusiveMaximum", at)) out.push(new Violation(path, "must be < " + JSON.formatNumber(bound(s, "exclusiveMaximum", at))));
  if (s.has("multipleOf")) {
    const m = bound(s, "multipleOf", at);
    if (!(m > 0)) badKeyword(at, "multipleOf", "greater than 0");
    const q = n / m;
    // decimal steps like 0.1 are not exact in binary: accept quotients within rounding error of an integer
    if (!isFinite(q) || Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1.0, Math.abs(q))) {
      out.push(new Violation(path, "must be a multiple of " + JSON.formatNumber(m)));
    }
  }
}

function checkString(s: JSON.Obj, text: string, path: string, at: string, out: Violation[]): void {
  if (!s.has("minLength") && !s.has("maxLength")) return;
  const length = codePoints(text);
  if (s.has("minLength")) {
    const min = count(s, "minLength", at);
    if (length < min) out.push(new Violation(path, "must be at least " + min.toString() + " characters long, got " + length.toString()));
  }
  if (s.has("maxLength")) {
    const max = count(s, "maxLength", at);
    if (length > max) out.push(new Violation(path, "must be at most " + max.toString() + " characters long, got " + length.toString()));
  }
}

/** Length in Unicode code points: a surrogate pair (an emoji, say) counts once. */
function codePoints(text: string): i32 {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** JSON Schema equality: numbers by value (1 == 1.0), objects regardless of key order. */
function equal(a: JSON.Value, b: JSON.Value): bool {
  if (a.kind != b.kind) return false;
  if (a.isNull()) return true;
  if (a.isBool()) return a.asBool() == b.asBool();
  if (a.isNumber()) return a.asNumber() == b.asNumber();
  if (a.isString()) return a.asString() == b.asString();
  if (a.isArray()) {
    const x = a.asArray();
    const y = b.asArray();
    if (x.length != y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equal(x.at(i), y.at(i))) return false;
    return true;
  }
  const x = a.asObject();
  const y = b.asObject();
  if (x.size != y.size) return false;
  for (let i = 0; i < x.keys.length; i++) {
    const other = y.get(x.keys[i]);
    if (other === null || !equal(x.get(x.keys[i])!, other)) return false;
  }
  return true;
}

function resolvePointer(root: JSON.Value, ref: string, at: string): JSON.Value {
  let current = root;
  if (ref == "#") return current;
  let start = 2;
  while (start <= ref.length) {
    let end = ref.indexOf("/", start);
    if (end < 0) end = ref.length;
    const token = unescapeToken(ref.substring(start, end));
    const index = arrayIndex(token);
    if (current.isObject() && current.asObject().has(token)) current = current.asObject().get(token)!;
    else if (current.isArray() && index >= 0 && index < current.asArray().length) current = current.asArray().at(index);
    else badKeyword(at, "$ref", "a pointer into the schema");
    start = end + 1;
  }
  return current;
}

/** The array index a pointer token names, or -1. */
function arrayIndex(token: string): i32 {
  if (token.length == 0 || token.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** JSON Pointer unescaping (~1 is "/", ~0 is "~"), after %XX decoding of the URI fragment. */
function unescapeToken(token: string): string {
  let out = "";
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c == 0x7e && i + 1 < token.length) {
      const d = token.charCodeAt(i + 1);
      if (d == 0x31 || d == 0x30) {
        out += d == 0x31 ? "/" : "~";
        i++;
        continue;
      }
    }
    if (c == 0x25 && i + 2 < token.length) {
      const hi = hexDigit(token.charCodeAt(i + 1));
      const lo = hexDigit(token.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out += String.fromCharCode(c);
  }
  return out;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  c |= 0x20;
  return c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
}

function schemaList(s: JSON.Obj, key: string, at: string): JSON.Arr {
  const v = s.value(key);
  if (!v.isArray() || v.asArray().length == 0) badKeyword(at, key, SCHEMA_LIST);
  return v.asArray();
}

function bound(s: JSON.Obj, key: string, at: string): f64 {
  const v = s.value(key);
  if (!v.isNumber()) badKeyword(at, key, "a number");
  return v.asNumber();
}

function count(s: JSON.Obj, key: string, at: string): i32 {
  const v = s.value(key);
  if (!v.isInteger() || v.asNumber() < 0) badKeyword(at, key, "a non-negative integer");
  return <i32>Math.min(v.asNumber(), 2147483647);
}

/** Fails with invalid_schema: "Invalid schema: <at>/<key> must be <expected>". */
function badKeyword(at: string, key: string, expected: string): void {
  fail("invalid_schema", "Invalid schema: " + at + (key.length ? "/" + key : "") + " must be " + expected);
}

function unsupported(at: string, what: string): void {
  fail("unsupported_schema", "validate_json does not support " + what + " (at " + at + ")");
}

/** JSON Pointer escaping of one path segment ("~" → "~0", "/" → "~1"). */
function escapeToken(key: string): string {
  if (key.indexOf("~") < 0 && key.indexOf("/") < 0) return key;
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    out += c == 0x7e ? "~0" : c == 0x2f ? "~1" : String.fromCharCode(c);
  }
  return out;
}

function preview(value: JSON.Value): string {
  return clip(value.stringify());
}

function clip(text: string): string {
  return text.length > 200 ? text.substring(0, 200) + "…" : text;
}
