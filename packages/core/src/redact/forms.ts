/**
 * The shapes a secret takes when code passes it along: JSON-escaped, URL-encoded (also every
 * byte as %XX), hex (lower and upper case), base64 (also inside a longer base64 text, e.g.
 * `Basic base64(user:token)`), and the value in upper and lower case. Each form
 * is a literal needle the redactor searches for. Forms are exact encodings of the value,
 * so they are as specific as the value itself; only the "inside longer base64" cores are
 * partial, and they are used only when long enough not to hit unrelated text.
 */
import { bytesToBase64, toUrlSafe, utf8 } from "../crypto/base64";
import { bytesToHex } from "../crypto/digest";
import { encodePathSegment } from "../net/path-segment";

/** A base64 core shorter than this is not searched for (too likely to occur by chance). */
export const MIN_BASE64_CORE = 8;

export function secretForms(value: string): Set<string> {
  const forms = new Set<string>();
  // the case variants are forms of their own: code that upper-cases a token passes it on too
  for (const variant of new Set([value, value.toUpperCase(), value.toLowerCase()])) {
    forms.add(variant);
    for (const escaped of jsonEscapes(variant)) forms.add(escaped);
    for (const encoded of urlEncodings(variant)) {
      forms.add(encoded);
      forms.add(encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
    }
  }
  const bytes = utf8.encode(value);
  const hex = bytesToHex(bytes);
  forms.add(hex).add(hex.toUpperCase());
  for (const b64 of base64Forms(bytes)) forms.add(b64);
  forms.delete("");
  return forms;
}

/** As inside a JSON string: standard, all non-ASCII as \uXXXX, with `\/`, and escaped twice (JSON in a JSON string). */
function jsonEscapes(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const asciiEscape = (upper: boolean) =>
    once.replace(/[\u007f-\uffff]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
      return "\\u" + (upper ? hex.toUpperCase() : hex);
    });
  const twice = JSON.stringify(once).slice(1, -1);
  return [once, asciiEscape(false), asciiEscape(true), once.replace(/\//g, "\\/"), twice];
}

/**
 * encodeURIComponent, strict RFC 3986 (also `!'()*`), a URL path segment as recipes write it
 * (`:` and `@` literal, net/path-segment.ts), encodeURI,
 * HTML-form encoding (space as +) and every byte as %XX. Lone surrogates cannot be encoded: skipped.
 */
function urlEncodings(value: string): string[] {
  const out: string[] = [];
  const every = (v: string) => [...utf8.encode(v)].map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("");
  for (const encode of [encodeURIComponent, encodeUriStrict, encodePathSegment, encodeURI, (v: string) => new URLSearchParams({ v }).toString().slice(2), every]) {
    try {
      out.push(encode(value));
    } catch {
      // URIError on a lone surrogate: no such encoded form can exist
    }
  }
  return out;
}

/**
 * Standard and url-safe base64, padded and not, of the value alone; plus, for each of the
 * three byte alignments the value can have inside a longer byte string, the run of base64
 * characters that depend only on the value's bytes.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const whole = bytesToBase64(bytes);
  out.push(whole, whole.replace(/=+$/, ""));
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const text = bytesToBase64(padded);
    // character i carries bits [6i, 6i+6); the value's bits are [8·offset, 8·(offset+n))
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = text.slice(first, end);
    if (core.length >= MIN_BASE64_CORE) out.push(core);
  }
  return out.flatMap((form) => [form, toUrlSafe(form)]);
}

/** encodeURIComponent that also escapes `!'()*` (RFC 3986 unreserved characters only stay as they are). */
export function encodeUriStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
