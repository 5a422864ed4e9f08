/**
 * The shapes a secret takes when code passes it along: JSON-escaped, URL-encoded,
 * base64 (also inside a longer base64 text, e.g. `Basic base64(user:token)`). Each form
 * is a literal needle the redactor searches for. Forms are exact encodings of the value,
 * so they are as specific as the value itself; only the "inside longer base64" cores are
 * partial, and they are used only when long enough not to hit unrelated text.
 */
import { bytesToBase64, toUrlSafe, utf8 } from "../crypto/base64";

/** A base64 core shorter than this is not searched for (too likely to occur by chance). */
export const MIN_BASE64_CORE = 8;

export function secretForms(value: string): Set<string> {
  const forms = new Set<string>([value]);
  for (const escaped of jsonEscapes(value)) forms.add(escaped);
  for (const encoded of urlEncodings(value)) {
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  for (const b64 of base64Forms(utf8.encode(value))) forms.add(b64);
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

/** encodeURIComponent, encodeURI and HTML-form encoding (space as +). Lone surrogates cannot be encoded: skipped. */
function urlEncodings(value: string): string[] {
  const out: string[] = [];
  for (const encode of [encodeURIComponent, encodeURI, (v: string) => new URLSearchParams({ v }).toString().slice(2)]) {
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
