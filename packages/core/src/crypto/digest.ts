// Hex encodings and SHA-256 with Web Crypto, for content hashes (workflow sources, published
// modules) and random tokens.

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 of bytes, or of a text's UTF-8, as 64 hex digits. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));
}

/** Equal length and bytes, in time that depends only on the length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Whether a presented secret (an API key) equals the expected one, in time that depends only on
 * the presented text's length (the caller's own), so neither the secret's content nor its length
 * leaks: every presented character is compared, against the secret's characters in turn.
 */
export function secretEquals(presented: string, expected: string): boolean {
  if (expected.length === 0) return false;
  let diff = presented.length ^ expected.length;
  for (let i = 0; i < presented.length; i++) diff |= presented.charCodeAt(i) ^ expected.charCodeAt(i % expected.length);
  return diff === 0;
}
