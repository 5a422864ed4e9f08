/**
 * Filling a recipe's request from the node's parameters. `{{params.x}}` alone keeps the JSON
 * type of x; inside text it is stringified. A value that is exactly one template for an
 * absent optional parameter is left out (its key, its list item, its header): recipes can
 * name every optional field of an API without sending empty ones. Helpers are named data
 * transforms, never code.
 */
import { findTemplates, type PathSegment } from "../templates/parse";
import { bytesToBase64, bytesToBase64Url, utf8 } from "../crypto/base64";
import type { RawMessage, TemplateValue } from "./schema";

/** Marks a value left out because its parameter is absent. */
export const OMIT: unique symbol = Symbol("omit");
export type Filled = unknown | typeof OMIT;

export class ParamError extends Error {}

export function lookupPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (typeof segment !== "number") return undefined;
      current = current[segment];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[String(segment)];
    }
  }
  return current;
}

export function fillString(text: string, params: Record<string, unknown>): Filled {
  if (!text.includes("{{")) return text;
  const refs = findTemplates(text).filter((ref) => ref.root === "params");
  if (refs.length === 0) return text;
  if (refs.length === 1 && refs[0].start === 0 && refs[0].end === text.length) {
    const value = lookupPath(params, refs[0].path);
    return value === undefined ? OMIT : value;
  }
  let out = "";
  let cursor = 0;
  for (const ref of refs) {
    const value = lookupPath(params, ref.path);
    if (value === undefined) throw new ParamError(`parameter "${ref.path.map(String).join(".")}" is needed`);
    out += text.slice(cursor, ref.start) + (typeof value === "string" ? value : JSON.stringify(value));
    cursor = ref.end;
  }
  return out + text.slice(cursor);
}

export function fillValue(value: TemplateValue, params: Record<string, unknown>): Filled {
  if (typeof value === "string") return fillString(value, params);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, params)).filter((item) => item !== OMIT);
  if (value && typeof value === "object") {
    if ("$raw_message" in value) return rawMessage(fillMessage(value.$raw_message as RawMessage, params));
    if ("$base64url" in value) return bytesToBase64Url(utf8.encode(textOf(fillString(value.$base64url as string, params))));
    if ("$base64" in value) return bytesToBase64(utf8.encode(textOf(fillString(value.$base64 as string, params))));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, TemplateValue>)) {
      const filled = fillValue(item, params);
      if (filled !== OMIT) out[key] = filled;
    }
    return out;
  }
  return value;
}

/** A filled value as text for a header, query value or form field. */
export function textOf(value: Filled): string {
  if (value === OMIT || value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function fillMessage(message: RawMessage, params: Record<string, unknown>): Partial<RawMessage> {
  const out: Partial<RawMessage> = {};
  for (const [key, template] of Object.entries(message)) {
    const filled = fillString(template as string, params);
    if (filled !== OMIT && filled !== "" && filled !== null) (out as Record<string, string>)[key] = textOf(filled);
  }
  return out;
}

/**
 * An RFC 5322 message (MIME, UTF-8), base64url-encoded as Gmail's `raw` wants it.
 * Header values with CR or LF are refused (no header injection); non-ASCII subjects use
 * RFC 2047 encoded words; bodies are base64 with 76-character lines (RFC 2045).
 */
export function rawMessage(message: Partial<RawMessage>): string {
  if (!message.to) throw new ParamError('an e-mail needs "to"');
  if (message.subject === undefined) throw new ParamError('an e-mail needs "subject"');
  if (message.text === undefined && message.html === undefined) throw new ParamError('an e-mail needs "text" or "html"');
  const lines: string[] = [];
  const header = (name: string, value: string | undefined, encode = false) => {
    if (value === undefined) return;
    if (/[\r\n]/.test(value)) throw new ParamError(`the e-mail's ${name} cannot contain a line break`);
    lines.push(`${name}: ${encode ? encodedWord(value) : value}`);
  };
  header("From", message.from);
  header("To", message.to);
  header("Cc", message.cc);
  header("Bcc", message.bcc);
  header("Reply-To", message.reply_to);
  header("Subject", message.subject, true);
  lines.push("MIME-Version: 1.0");
  const part = (type: string, body: string) => [`Content-Type: ${type}; charset="UTF-8"`, "Content-Transfer-Encoding: base64", "", wrap(bytesToBase64(utf8.encode(body)))];
  if (message.text !== undefined && message.html !== undefined) {
    const boundary = `arcrun-${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
    lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`, "");
    lines.push(`--${boundary}`, ...part("text/plain", message.text), `--${boundary}`, ...part("text/html", message.html), `--${boundary}--`);
  } else if (message.html !== undefined) {
    lines.push(...part("text/html", message.html));
  } else {
    lines.push(...part("text/plain", message.text!));
  }
  return bytesToBase64Url(utf8.encode(lines.join("\r\n") + "\r\n"));
}

function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${bytesToBase64(utf8.encode(text))}?=`;
}

function wrap(base64: string): string {
  return base64.match(/.{1,76}/g)?.join("\r\n") ?? "";
}
