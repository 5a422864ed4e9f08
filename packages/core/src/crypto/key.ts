/**
 * The encryption key (`ARCRUN_ENCRYPTION_KEY`): 32 random bytes, standard base64.
 * There is no fallback: a missing, short or malformed key is an error whose hint prints a
 * command that generates a good one. Web Crypto only, so this runs in workerd and Node alike.
 */
import { arcrunError } from "../errors";
import { base64ToBytes, bytesToBase64, bytesToBase64Url, utf8 } from "./base64";

export const ENCRYPTION_KEY_BYTES = 32;

/** Commands that really produce a valid key (checked by a test). */
export const GENERATE_KEY_COMMANDS = [
  "acr init",
  "openssl rand -base64 32",
  `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
] as const;

export const GENERATE_KEY_HINT =
  `Create one with \`${GENERATE_KEY_COMMANDS[0]}\` (stores it in ~/.arcrun/config.json), or generate 32 random bytes with ` +
  `\`${GENERATE_KEY_COMMANDS[1]}\` or \`${GENERATE_KEY_COMMANDS[2]}\` and set it as ARCRUN_ENCRYPTION_KEY ` +
  "(on Cloudflare: `wrangler secret put ARCRUN_ENCRYPTION_KEY`).";

/** A parsed key: the AES key that seals values, a derived fingerprint key, and a public id. */
export interface EncryptionKey {
  /** AES-256-GCM, not extractable */
  aes: CryptoKey;
  /** HMAC-SHA-256 derived with HKDF: fingerprints values so "unchanged" needs no plaintext on the wire */
  fingerprint: CryptoKey;
  /** public id derived from the key (12 base64url characters): records say which key sealed them */
  id: string;
}

export interface ParseKeyOptions {
  /** where the text came from, for the error message: "ARCRUN_ENCRYPTION_KEY", "~/.arcrun/config.json" */
  source?: string;
}

/**
 * Parse a base64 key. Surrounding whitespace is ignored (a pasted newline); anything else
 * that is not exactly 32 bytes of standard base64 is refused. The key never appears in errors.
 */
export async function parseEncryptionKey(text: string | undefined | null, options: ParseKeyOptions = {}): Promise<EncryptionKey> {
  const source = options.source ?? "ARCRUN_ENCRYPTION_KEY";
  if (text === undefined || text === null || text.trim() === "") {
    throw arcrunError("encryption_key_missing", `No encryption key: ${source} is not set.`, { hint: GENERATE_KEY_HINT });
  }
  const trimmed = text.trim();
  const bytes = base64ToBytes(trimmed);
  if (!bytes) {
    const why = /^[A-Za-z0-9_-]+=*$/.test(trimmed) && /[-_]/.test(trimmed)
      ? "it uses the url-safe alphabet (- and _); use standard base64 (+ and /)"
      : "it is not valid standard base64";
    throw arcrunError("encryption_key_invalid", `The encryption key in ${source} is malformed: ${why}.`, { hint: GENERATE_KEY_HINT });
  }
  if (bytes.length !== ENCRYPTION_KEY_BYTES) {
    throw arcrunError(
      "encryption_key_invalid",
      `The encryption key in ${source} is ${bytes.length} bytes; it must be exactly ${ENCRYPTION_KEY_BYTES} random bytes (44 base64 characters).`,
      { hint: GENERATE_KEY_HINT },
    );
  }
  return importKeyBytes(bytes);
}

/** A fresh random key, as the base64 text stored in config files and Worker secrets. */
export function generateEncryptionKey(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(ENCRYPTION_KEY_BYTES)));
}

async function importKeyBytes(bytes: Uint8Array<ArrayBuffer>): Promise<EncryptionKey> {
  const aes = await crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  // Separate keys for separate jobs: HKDF from the same material, distinct `info` labels.
  const master = await crypto.subtle.importKey("raw", bytes, "HKDF", false, ["deriveBits", "deriveKey"]);
  const hkdf = (label: string) => ({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(label) });
  const fingerprint = await crypto.subtle.deriveKey(
    hkdf("arcrun credential fingerprint v1"),
    master,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  const idBits = await crypto.subtle.deriveBits(hkdf("arcrun key id v1"), master, 72);
  return { aes, fingerprint, id: bytesToBase64Url(new Uint8Array(idBits)) };
}
