// url_encode: percent-encoding as JavaScript's encodeURI(Component) / decodeURI(Component) do
// it, plus the form flavour (WHATWG application/x-www-form-urlencoded). Decoding is strict:
// a broken escape or bytes that are not UTF-8 are an error with the position, never U+FFFD.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
import { TextBuilder } from "@arcrun/component-sdk/assembly/text-builder";

const HEX = "0123456789ABCDEF";
const COMPONENT_KEEP = "-_.!~*'()";
const URI_RESERVED = ";,/?:@&=+$#";
const FORM_KEEP = "*-._";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  const mode = input.stringOr("mode", "component");
  if (input.stringOr("action", "encode") == "encode") return JSON.str(encode(text, mode));
  return JSON.str(decode(mode == "form" ? text.replaceAll("+", " ") : text, mode == "uri"));
});

function isAlnum(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

function kept(c: i32, mode: string): bool {
  if (isAlnum(c)) return true;
  const ch = String.fromCharCode(c);
  if (mode == "form") return FORM_KEEP.includes(ch);
  return COMPONENT_KEEP.includes(ch) || (mode == "uri" && URI_RESERVED.includes(ch));
}

function malformed(message: string, position: i32): void {
  fail("malformed_uri", message + " at position " + position.toString(), JSON.obj().set("position", JSON.int(position)));
}

function encode(text: string, mode: string): string {
  const out = new TextBuilder();
  const bytes = new Uint8Array(4);
  for (let i = 0; i < text.length; i++) {
    let c = text.codePointAt(i);
    if (c < 0x80 && kept(c, mode)) { out.unit(c); continue; }
    if (c == 0x20 && mode == "form") { out.unit(0x2b); continue; }
    if (c >= 0xd800 && c <= 0xdfff) malformed("lone surrogate \\u" + hex(c >> 8) + hex(c & 0xff) + " (it has no UTF-8 form)", i);
    let n = 1;
    if (c < 0x80) bytes[0] = <u8>c;
    else if (c < 0x800) { bytes[0] = <u8>(0xc0 | (c >> 6)); n = 2; }
    else if (c < 0x10000) { bytes[0] = <u8>(0xe0 | (c >> 12)); n = 3; }
    else { bytes[0] = <u8>(0xf0 | (c >> 18)); n = 4; i++; }
    for (let k = n - 1; k > 0; k--) { bytes[k] = <u8>(0x80 | (c & 0x3f)); c >>= 6; }
    for (let k = 0; k < n; k++) { out.unit(0x25); out.unit(HEX.charCodeAt(bytes[k] >> 4)); out.unit(HEX.charCodeAt(bytes[k] & 15)); }
  }
  return out.toString();
}

function hex(b: i32): string {
  return HEX.charAt((b >> 4) & 15) + HEX.charAt(b & 15);
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  c |= 0x20;
  return c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
}

/** The byte of the %XX at `at`, or a malformed_uri failure. */
function byteAt(text: string, at: i32, start: i32): i32 {
  if (at >= text.length || text.charCodeAt(at) != 0x25) malformed("incomplete UTF-8 sequence", start);
  const hi = at + 1 < text.length ? hexDigit(text.charCodeAt(at + 1)) : -1;
  const lo = at + 2 < text.length ? hexDigit(text.charCodeAt(at + 2)) : -1;
  if (hi < 0 || lo < 0) malformed("'%' not followed by two hex digits", at);
  return (hi << 4) | lo;
}

function decode(text: string, keepReserved: bool): string {
  const out = new TextBuilder();
  let start = 0;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) != 0x25) { i++; continue; }
    if (i > start) out.add(text.substring(start, i));
    const at = i;
    const b = byteAt(text, i, at);
    i += 3;
    start = i;
    if (b < 0x80) {
      const ch = String.fromCharCode(b);
      // decodeURI leaves the escapes of reserved characters as they are
      out.add(keepReserved && URI_RESERVED.includes(ch) ? text.substring(at, i) : ch);
      continue;
    }
    // RFC 3629: lead byte, then continuation bytes; the first one's range excludes overlong
    // forms, surrogates (ED A0..BF) and code points past U+10FFFF
    let n = 0, lo = 0x80, hi = 0xbf, c = 0;
    if (b >= 0xc2 && b <= 0xdf) { n = 1; c = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) { n = 2; c = b & 0x0f; if (b == 0xe0) lo = 0xa0; if (b == 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { n = 3; c = b & 0x07; if (b == 0xf0) lo = 0x90; if (b == 0xf4) hi = 0x8f; }
    else malformed("invalid UTF-8 lead byte %" + hex(b), at);
    for (let k = 0; k < n; k++) {
      const cont = byteAt(text, i, at);
      if (cont < lo || cont > hi) malformed("invalid UTF-8 sequence", at);
      lo = 0x80; hi = 0xbf;
      c = (c << 6) | (cont & 0x3f);
      i += 3;
    }
    start = i;
    if (c > 0xffff) { out.unit(0xd7c0 + (c >> 10)); c = 0xdc00 | (c & 0x3ff); }
    out.unit(c);
  }
  if (start < text.length) out.add(text.substring(start));
  return out.toString();
}
