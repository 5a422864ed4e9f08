/**
 * Templates inside a URL (http_request `url`). A value is data, never URL syntax: placed in the
 * path, the query or the fragment it is percent-encoded (RFC 3986 strict: only letters, digits
 * and `-._~` stay), so a `#`, `?`, `/` or `&` in it cannot cut the URL or add parts to it.
 *
 * - `url: "{{input.url}}"` (the whole URL is one template) and a template that starts the URL
 *   (`"{{input.base}}/items/{{input.id}}"`) are placed as they are: they choose the address,
 *   which the egress check then judges like any literal URL.
 * - Anywhere else before the path (scheme, user, host, port) a template is refused: it could
 *   change where the request goes.
 * - A value that would be a whole `.` or `..` path segment is refused (it would climb the path,
 *   and `%2E` means the same to a URL parser).
 */
import { encodeUriStrict } from "../redact/forms";
import { findTemplates } from "./parse";
import { lookupTemplate, templateText, TemplateResolutionError, type TemplateScope } from "./resolve";

type Part = "address" | "path" | "query" | "fragment";

/** Resolves the templates of one URL string; anything but a string is returned as it is. */
export function resolveUrlTemplate(text: unknown, scope: TemplateScope): unknown {
  if (typeof text !== "string" || !text.includes("{{")) return text;
  const refs = findTemplates(text);
  if (refs.length === 0) return text;
  if (refs.length === 1 && refs[0].start === 0 && refs[0].end === text.length) return lookupTemplate(refs[0], scope);
  let out = "";
  let cursor = 0;
  for (const ref of refs) {
    out += text.slice(cursor, ref.start);
    const value = templateText(lookupTemplate(ref, scope));
    cursor = ref.end;
    if (ref.start === 0) {
      out += value; // the base of the URL
      continue;
    }
    const part = partAt(out);
    const template = `{{${ref.expression}}}`;
    if (part === "address") {
      throw new TemplateResolutionError(
        `"${template}" is in the scheme or host part of the url; a template there could send the request elsewhere — write the host literally, or the whole url as one template (url: "{{input.url}}")`,
        ref.expression,
      );
    }
    if (part === "path" && (value === "." || value === "..")) {
      const next = text.charAt(cursor);
      if (out.endsWith("/") && (next === "" || "/?#".includes(next))) {
        throw new TemplateResolutionError(`"${template}" is "${value}", which would move up the url's path; a path segment cannot be . or ..`, ref.expression);
      }
    }
    out += encodeUriStrict(value);
  }
  return out + text.slice(cursor);
}

/** Which part of a URL the text written so far ends in. */
function partAt(prefix: string): Part {
  if (prefix.includes("#")) return "fragment";
  if (prefix.includes("?")) return "query";
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(prefix);
  if (!scheme) return "address";
  const rest = prefix.slice(scheme[0].length);
  if (!rest.startsWith("//")) return "path"; // mailto:, data: — no authority
  return rest.slice(2).includes("/") ? "path" : "address";
}
