/**
 * Base64 helpers on web globals only (`btoa`/`atob`), strict on input: the credential
 * format and the encryption key must never be "mostly" decoded from sloppy text.
 */

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  // chunked so large values do not hit the argument limit of fromCharCode
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Standard, padded base64 → bytes; undefined for anything else (whitespace, url-safe, bad padding). */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!STANDARD.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toUrlSafe(base64: string): string {
  return base64.replace(/\+/g, "-").replace(/\//g, "_");
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return toUrlSafe(bytesToBase64(bytes)).replace(/=+$/, "");
}

export const utf8 = {
  encode: (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>,
  /** fatal: a value that is not valid UTF-8 is an error, never silently replaced; a leading BOM is kept (it is part of the value) */
  decode: (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes),
};
