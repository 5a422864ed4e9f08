/**
 * URL templates. The scheme and host are literal text, checked at load time against `hosts`;
 * templates may appear only in the path, and each value is percent-encoded as one path
 * segment (`encodePathSegment`: `:` and `@` stay literal, as RFC 3986 allows in a segment), so
 * no parameter (or credential) can add a segment, a query, or change the host.
 */
import { findTemplates, TemplateSyntaxError, type TemplateRef } from "../templates/parse";
import { encodePathSegment } from "../net/path-segment";

export interface UrlTemplate {
  /** `https://api.telegram.org`; undefined for a path after an auth `url` base */
  origin?: string;
  /** the path part, templates included */
  path: string;
  refs: readonly TemplateRef[];
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;

export function splitUrlTemplate(url: string): UrlTemplate | { error: string } {
  let origin: string | undefined;
  let path: string;
  const absolute = ABSOLUTE.exec(url);
  if (absolute) {
    const [, scheme, authority, rest] = absolute;
    if (/[{}]/.test(scheme) || /[{}]/.test(authority)) return { error: "a template cannot give the scheme or host; write them literally" };
    if (scheme !== "https" && scheme !== "http") return { error: `scheme "${scheme}" is not supported; use https` };
    if (authority === "" || authority.includes("@")) return { error: "write the host literally, without user or password" };
    origin = `${scheme}://${authority}`;
    path = rest;
    try {
      new URL(origin);
    } catch {
      return { error: `"${origin}" is not a valid scheme and host` };
    }
  } else {
    if (url.includes("{{") && !url.startsWith("/") && url !== "") return { error: "a template cannot give the scheme or host; write them literally" };
    if (url !== "" && !url.startsWith("/")) return { error: `"${url}" must start with https:// (or be a path starting with /)` };
    path = url;
  }
  if (path !== "" && !path.startsWith("/")) return { error: "the path must start with /" };
  if (/[?#]/.test(path.replace(/\{\{[^{}]*\}\}/g, ""))) return { error: "put query parameters in request.query, not in the URL" };
  let refs: readonly TemplateRef[];
  try {
    refs = findTemplates(path);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { error: error.message };
    throw error;
  }
  return { origin, path, refs };
}

export class UrlValueError extends Error {}

/**
 * The path with each template replaced by its value, percent-encoded as a path segment
 * (`:` and `@` literal; `/`, `?`, `#` and `%` escaped).
 * `value` returns the text for a reference; a value that would form a `.` or `..` segment is refused.
 */
export function buildPath(template: UrlTemplate, value: (ref: TemplateRef) => string): string {
  let out = "";
  let cursor = 0;
  for (const ref of template.refs) {
    out += template.path.slice(cursor, ref.start) + encodePathSegment(value(ref));
    cursor = ref.end;
  }
  out += template.path.slice(cursor);
  for (const segment of out.split("/")) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment) && template.path.split("/").every((literal) => literal !== segment)) {
      throw new UrlValueError(`a URL value cannot be "." or ".." (it would change the path)`);
    }
  }
  return out;
}
