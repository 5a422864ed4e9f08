// base64: text (UTF-8) ⇄ Base64 (RFC 4648). Decoding accepts both alphabets, missing padding
// and whitespace; anything else is an error naming the position.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
import { TextBuilder } from "@arcrun/component-sdk/assembly/text-builder";

const STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  if (input.string("action") == "encode") {
    return JSON.str(encode(Uint8Array.wrap(String.UTF8.encode(text)), input.boolOr("url_safe", false), input.boolOr("padding", true)));
  }
  const bytes = decode(text);
  const decoded = String.UTF8.decodeUnsafe(bytes.dataStart, bytes.length);
  // invalid UTF-8 decodes to replacement characters and does not survive a round trip
  if (String.UTF8.byteLength(decoded) != bytes.length || !sameBytes(Uint8Array.wrap(String.UTF8.encode(decoded)), bytes)) {
    return fail("not_utf8", "the decoded bytes are not UTF-8 text; base64 decodes to text only");
  }
  return JSON.str(decoded);
});

function encode(bytes: Uint8Array, urlSafe: bool, padding: bool): string {
  const alphabet = urlSafe ? URL_SAFE : STANDARD;
  const out = new TextBuilder();
  const n = bytes.length;
  for (let i = 0; i < n; i += 3) {
    const b0 = <i32>bytes[i];
    const b1 = i + 1 < n ? <i32>bytes[i + 1] : 0;
    const b2 = i + 2 < n ? <i32>bytes[i + 2] : 0;
    out.unit(alphabet.charCodeAt(b0 >> 2));
    out.unit(alphabet.charCodeAt(((b0 & 3) << 4) | (b1 >> 4)));
    if (i + 1 < n) out.unit(alphabet.charCodeAt(((b1 & 15) << 2) | (b2 >> 6)));
    else if (padding) out.unit(0x3d);
    if (i + 2 < n) out.unit(alphabet.charCodeAt(b2 & 63));
    else if (padding) out.unit(0x3d);
  }
  return out.toString();
}

function sextet(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62; // + or -
  if (c == 0x2f || c == 0x5f) return 63; // / or _
  return -1;
}

function decode(text: string): Uint8Array {
  const out = new Uint8Array((text.length * 3) / 4 + 3);
  let length = 0;
  let buffer = 0;
  let bits = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) continue;
    if (c == 0x3d) { padding++; continue; }
    const v = sextet(c);
    if (v < 0 || padding > 0) {
      fail("invalid_base64", "invalid Base64 character '" + text.charAt(i) + "' at position " + i.toString());
    }
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = <u8>((buffer >> bits) & 0xff);
    }
  }
  if (bits >= 6 || padding > 2) fail("invalid_base64", "the Base64 text has a wrong length (a character is missing or extra)");
  return out.subarray(0, length);
}

function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}
