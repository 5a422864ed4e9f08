/**
 * Templates are a tiny data-lookup language, never evaluated code:
 *   {{ root(.key | [index] | ["quoted key"])* }}
 * e.g. {{input}}, {{input.a.b}}, {{fetch.data.items[0].id}}, {{check.error.message}}, {{credential.api_token}}.
 */
export type PathSegment = string | number;

export interface TemplateRef {
  /** the text between the braces, trimmed, e.g. `fetch.data.items[0].id` */
  expression: string;
  /** first segment: `input`, `credential` or a node name */
  root: string;
  /** the segments after the root */
  path: readonly PathSegment[];
  /** offset of `{{` in the string */
  start: number;
  /** offset just after `}}` */
  end: number;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly expression: string) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*/;

/**
 * Parsed templates by their text: workflow parameters are resolved on every run, parsed once.
 * Bounded by entries and by characters kept (any request may compile a workflow of long texts):
 * a text over MAX_CACHED_TEXT is parsed each time, and the cache starts over when full.
 */
const parsed = new Map<string, readonly TemplateRef[]>();
const MAX_PARSED = 4096;
const MAX_CACHED_TEXT = 4096;
const MAX_CACHED_CHARS = 1 << 20;
let cachedChars = 0;

/**
 * Every `{{...}}` in a string, parsed (frozen: the result is shared by every caller of the same
 * text). Throws TemplateSyntaxError on a malformed path.
 */
export function findTemplates(text: string): readonly TemplateRef[] {
  const known = parsed.get(text);
  if (known) return known;
  const refs: TemplateRef[] = [];
  for (const match of text.matchAll(TEMPLATE)) {
    const expression = match[1].trim();
    const segments = parsePath(expression);
    refs.push(Object.freeze({
      expression,
      root: String(segments[0]),
      path: Object.freeze(segments.slice(1)),
      start: match.index!,
      end: match.index! + match[0].length,
    }));
  }
  Object.freeze(refs);
  if (text.length > MAX_CACHED_TEXT) return refs;
  if (parsed.size >= MAX_PARSED || cachedChars + text.length > MAX_CACHED_CHARS) {
    parsed.clear();
    cachedChars = 0;
  }
  parsed.set(text, refs);
  cachedChars += text.length;
  return refs;
}

export function parsePath(expression: string): PathSegment[] {
  if (expression === "") throw new TemplateSyntaxError("empty template {{}}", expression);
  const segments: PathSegment[] = [];
  let rest = expression;
  const root = IDENT.exec(rest);
  if (!root) throw new TemplateSyntaxError(`template "{{${expression}}}" must start with a name`, expression);
  segments.push(root[0]);
  rest = rest.slice(root[0].length);
  while (rest.length > 0) {
    if (rest[0] === ".") {
      const key = IDENT.exec(rest.slice(1)) ?? /^[0-9]+/.exec(rest.slice(1));
      if (!key) throw new TemplateSyntaxError(`expected a key after "." in "{{${expression}}}"`, expression);
      segments.push(key[0]);
      rest = rest.slice(1 + key[0].length);
    } else if (rest[0] === "[") {
      const index = /^\[\s*([0-9]+)\s*\]/.exec(rest);
      const quoted = /^\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        rest = rest.slice(index[0].length);
      } else if (quoted) {
        segments.push((quoted[1] ?? quoted[2]).replace(/\\(.)/g, "$1"));
        rest = rest.slice(quoted[0].length);
      } else {
        throw new TemplateSyntaxError(`bad index in "{{${expression}}}": use [0] or ["key"]`, expression);
      }
    } else {
      throw new TemplateSyntaxError(`unexpected "${rest[0]}" in "{{${expression}}}"`, expression);
    }
  }
  return segments;
}

/** Every template reference anywhere inside a value (strings in objects and arrays, and object keys are not templated). */
export function collectTemplates(value: unknown, out: TemplateRef[] = []): TemplateRef[] {
  if (typeof value === "string") out.push(...findTemplates(value));
  else if (Array.isArray(value)) for (const item of value) collectTemplates(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) collectTemplates(item, out);
  return out;
}

export function formatPath(root: string, path: readonly PathSegment[]): string {
  return root + path.map((s) => (typeof s === "number" ? `[${s}]` : IDENT.test(s) && IDENT.exec(s)![0] === s ? `.${s}` : `[${JSON.stringify(s)}]`)).join("");
}
