import { bytesToHex } from "@arcrun/core";

/** Webhook tokens: 256 random bits as hex (DESIGN asks for at least 128). */
export function newToken(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}
