// hmac_sign: HMAC-SHA256 or HMAC-SHA1 (RFC 2104) of a message (as UTF-8) under a key, in hex or
// Base64. The key is normally injected from the credential store (contract credentials_required).
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
import { digest, encodeBytes } from "@arcrun/component-sdk/assembly/digest";

const BLOCK = 64; // the block size of SHA-256 and SHA-1

run((input: JSON.Obj): JSON.Value => {
  const algorithm = input.stringOr("algorithm", "sha256");
  const key = keyBytes(input.string("key"), input.stringOr("key_encoding", "utf8"));
  const message = utf8(input.string("message"));
  return JSON.str(encodeBytes(hmac(algorithm, key, message), input.stringOr("encoding", "hex")));
});

function hmac(algorithm: string, key: Uint8Array, message: Uint8Array): Uint8Array {
  // a key longer than a block is replaced by its digest (RFC 2104 §2)
  const k = key.length > BLOCK ? digest(algorithm, key) : key;
  const inner = new Uint8Array(BLOCK + message.length);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const b: u8 = i < k.length ? k[i] : 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  inner.set(message, BLOCK);
  const innerDigest = digest(algorithm, inner);
  const last = new Uint8Array(BLOCK + innerDigest.length);
  last.set(outer);
  last.set(innerDigest, BLOCK);
  return digest(algorithm, last);
}

function utf8(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** The key's bytes: its UTF-8 text, or decoded from hex or Base64 (binary secrets). */
function keyBytes(key: string, encoding: string): Uint8Array {
  if (encoding == "hex") {
    if (key.length & 1) fail("invalid_key", "the hex key has an odd number of digits; use key_encoding: utf8 for a text key");
    const out = new Uint8Array(key.length >> 1);
    for (let i = 0; i < key.length; i += 2) out[i >> 1] = <u8>((hexDigit(key, i) << 4) | hexDigit(key, i + 1));
    return out;
  }
  if (encoding == "base64") return base64Bytes(key);
  return utf8(key);
}

function hexDigit(key: string, at: i32): i32 {
  const c = key.charCodeAt(at) | 0x20; // lower case
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  fail("invalid_key", "the hex key has a non-hex character at position " + at.toString() + "; use key_encoding: utf8 for a text key");
  return 0;
}

/** Standard or URL-safe Base64; padding and whitespace are skipped. */
function base64Bytes(key: string): Uint8Array {
  const out = new Uint8Array((key.length * 3) / 4 + 3);
  let length = 0, buffer = 0, bits = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c == 0x3d || c == 0x20 || c == 0x0a || c == 0x0d) continue;
    let v = -1;
    if (c >= 0x41 && c <= 0x5a) v = c - 0x41;
    else if (c >= 0x61 && c <= 0x7a) v = c - 0x61 + 26;
    else if (c >= 0x30 && c <= 0x39) v = c - 0x30 + 52;
    else if (c == 0x2b || c == 0x2d) v = 62;
    else if (c == 0x2f || c == 0x5f) v = 63;
    if (v < 0) fail("invalid_key", "the Base64 key has an invalid character at position " + i.toString());
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = <u8>(buffer >> bits);
    }
  }
  return out.subarray(0, length);
}
