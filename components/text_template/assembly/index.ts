// text_template: Mustache rendering (variables, dotted names, sections, inverted sections,
// comments, raw output, set-delimiter tags; no partials or lambdas). The template is parsed
// into a tree first, so a syntax error is reported with its position before anything renders.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
import { TextBuilder } from "@arcrun/component-sdk/assembly/text-builder";

const ESCAPED = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
const TEXT = 0, VAR = 1, RAW = 2, SECTION = 3, INVERTED = 4;

class Node {
  children: Node[] = [];
  constructor(public kind: i32, public text: string, public pos: i32) {}
}

let template = "";
let strict = false;
let escapeHtml = false;

run((input: JSON.Obj): JSON.Value => {
  template = input.string("template");
  strict = input.boolOr("strict", false);
  escapeHtml = input.boolOr("escape_html", false);
  const data = input.get("data");
  let open = "{{", close = "}}";
  if (input.has("delimiters")) {
    const pair = input.array("delimiters");
    open = pair.at(0).asString();
    close = pair.at(1).asString();
  }
  const out = new TextBuilder();
  render(parse(open, close), [data !== null ? data : JSON.obj()], out);
  return JSON.str(out.toString());
});

/** "position 12 (line 2, column 5)": position counts UTF-16 units from 0, line and column from 1. */
function where(pos: i32): string {
  let line = 1, lineStart = 0;
  for (let i = 0; i < pos; i++) if (template.charCodeAt(i) == 0x0a) { line++; lineStart = i + 1; }
  return "position " + pos.toString() + " (line " + line.toString() + ", column " + (pos - lineStart + 1).toString() + ")";
}

function syntaxError(message: string, pos: i32): void {
  fail("template_syntax", message + " at " + where(pos), JSON.obj().set("position", JSON.int(pos)));
}

function isBlank(c: i32): bool { return c == 0x20 || c == 0x09; }

function parse(open: string, close: string): Node[] {
  const root = new Node(SECTION, "", 0);
  const stack: Node[] = [root];
  let textStart = 0;
  let i = 0;
  for (;;) {
    const at = template.indexOf(open, i);
    if (at < 0) break;
    let from = at + open.length;
    let end = close;
    const triple = template.charCodeAt(from) == 0x7b; // {{{name}}}
    if (triple) { from++; end = "}" + close; }
    const stop = template.indexOf(end, from);
    if (stop < 0) syntaxError("unclosed tag '" + open + "': no '" + end + "' after it", at);
    let content = template.substring(from, stop).trim();
    let sigil = triple ? "&" : content.length > 0 ? content.charAt(0) : "";
    if (!triple && "#^/!&>=".includes(sigil)) content = content.substring(1).trim();
    else if (!triple) sigil = "";
    let pair: string[] = [];
    if (sigil == "=") {
      pair = content.substring(0, content.length - 1).trim().split(" ");
      if (!content.endsWith("=") || pair.length != 2 || pair[0].length == 0) syntaxError("a set-delimiter tag names two delimiters, like {{=<% %>=}}", at);
    }
    i = stop + end.length;
    // a tag that is alone on its line (except Mustache's output tags) takes the line with it
    let textEnd = at;
    if (sigil.length > 0 && sigil != "&") {
      let lineStart = at;
      while (lineStart > textStart && isBlank(template.charCodeAt(lineStart - 1))) lineStart--;
      let after = i;
      while (after < template.length && isBlank(template.charCodeAt(after))) after++;
      if (template.charCodeAt(after) == 0x0d && template.charCodeAt(after + 1) == 0x0a) after++;
      const lineBefore = lineStart == 0 || template.charCodeAt(lineStart - 1) == 0x0a;
      if (lineBefore && (after >= template.length || template.charCodeAt(after) == 0x0a)) {
        textEnd = lineStart;
        i = after < template.length ? after + 1 : after;
      }
    }
    const parent = stack[stack.length - 1];
    if (textEnd > textStart) parent.children.push(new Node(TEXT, template.substring(textStart, textEnd), textStart));
    textStart = i;
    if (sigil == "!") continue;
    if (sigil == "=") {
      open = pair[0];
      close = pair[1];
      continue;
    }
    if (sigil == ">") syntaxError("partials ({{> name}}) are not supported", at);
    if (content.length == 0) syntaxError("empty tag", at);
    if (sigil == "/") {
      if (stack.length == 1) syntaxError("closing tag for '" + content + "' without an open section", at);
      const section = stack.pop();
      if (section.text != content) {
        syntaxError("section '" + section.text + "' (opened at position " + section.pos.toString() + ") is closed by '" + content + "'", at);
      }
      continue;
    }
    const node = new Node(sigil == "#" ? SECTION : sigil == "^" ? INVERTED : sigil == "&" ? RAW : VAR, content, at);
    parent.children.push(node);
    if (node.kind >= SECTION) stack.push(node);
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    syntaxError("section '" + open.text + "' is never closed: add {{/" + open.text + "}}", open.pos);
  }
  if (textStart < template.length) root.children.push(new Node(TEXT, template.substring(textStart), textStart));
  return root.children;
}

/** Resolves a name against the context stack (innermost first); dotted parts then descend from the match. */
function lookup(node: Node, stack: JSON.Value[]): JSON.Value | null {
  const name = node.text;
  if (name == ".") return stack[stack.length - 1];
  const parts = name.split(".");
  let value: JSON.Value | null = null;
  for (let i = stack.length - 1; i >= 0 && value === null; i--) {
    if (stack[i].isObject()) value = stack[i].asObject().get(parts[0]);
  }
  for (let k = 1; k < parts.length && value !== null; k++) {
    const v: JSON.Value = value;
    const part = parts[k];
    if (v.isObject()) value = v.asObject().get(part);
    else if (v.isArray() && isIndex(part) && I32.parseInt(part) < v.asArray().length) value = v.asArray().at(I32.parseInt(part));
    else value = null;
  }
  if (value === null && strict) {
    fail("missing_variable", "missing variable '" + name + "' at " + where(node.pos) + " (strict mode: give it a value, or null for nothing)",
      JSON.obj().set("name", JSON.str(name)).set("position", JSON.int(node.pos)));
  }
  return value;
}

function isIndex(part: string): bool {
  if (part.length == 0 || part.length > 9) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** JavaScript truthiness: false, null, 0, "" and missing are falsy; so is an empty list (Mustache). */
function truthy(v: JSON.Value | null): bool {
  if (v === null || v.isNull()) return false;
  if (v.isBool()) return v.asBool();
  if (v.isNumber()) return v.asNumber() != 0 && !isNaN(v.asNumber());
  if (v.isString()) return v.asString().length > 0;
  if (v.isArray()) return v.asArray().length > 0;
  return true;
}

function textOf(v: JSON.Value): string {
  if (v.isString()) return v.asString();
  if (v.isNull()) return "";
  if (v.isNumber()) return JSON.formatNumber(v.asNumber());
  return v.stringify(); // booleans, and objects and lists as JSON
}

function addEscaped(out: TextBuilder, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = "&<>\"'".indexOf(String.fromCharCode(c));
    if (k >= 0) out.add(ESCAPED[k]);
    else out.unit(c);
  }
}

function render(nodes: Node[], stack: JSON.Value[], out: TextBuilder): void {
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    if (node.kind == TEXT) { out.add(node.text); continue; }
    const value = lookup(node, stack);
    if (node.kind == INVERTED) {
      if (!truthy(value)) render(node.children, stack, out);
    } else if (node.kind == SECTION) {
      if (!truthy(value)) continue;
      const v: JSON.Value = value!;
      const items = v.isArray() ? v.asArray().items : [v];
      for (let i = 0; i < items.length; i++) {
        stack.push(items[i]);
        render(node.children, stack, out);
        stack.pop();
      }
    } else if (value !== null) {
      const s = textOf(value);
      if (node.kind == VAR && escapeHtml) addEscaped(out, s);
      else out.add(s);
    }
  }
}
