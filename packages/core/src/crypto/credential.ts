/**
 * Sealing one credential value: AES-256-GCM, a fresh random 96-bit IV per value, the
 * credential's name as additional authenticated data (a record copied to another name does
 * not decrypt). The record is `{v: 1, alg, kid, iv, encrypted}` (base64); `kid` names the key
 * that sealed it so a wrong key is told apart from a tampered record. No plain or base64
 * storage exists, ever.
 */
import { z } from "../schema";
import { arcrunError } from "../errors";
import { base64ToBytes, bytesToBase64, bytesToBase64Url, utf8 } from "./base64";
import type { EncryptionKey } from "./key";

export const CREDENTIAL_ALG = "AES-256-GCM";
export const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Largest value accepted, in UTF-8 bytes. */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;
/** Same identifier rule as a template path segment, so every name works as `{{credential.name}}`. */
export const CREDENTIAL_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const base64Field = (what: string) => z.string().refine((s) => base64ToBytes(s) !== undefined, `${what} must be standard base64`);

/** The sealed value, as stored in `cred:{name}` (with the metadata of StoredCredentialSchema). */
export const EncryptedCredentialSchema = z.object({
  v: z.literal(1),
  alg: z.literal(CREDENTIAL_ALG),
  /** id of the key that sealed it (EncryptionKey.id) */
  kid: z.string().min(1).max(64),
  iv: base64Field("iv").refine((s) => base64ToBytes(s)?.length === IV_BYTES, `iv must be ${IV_BYTES} bytes`),
  encrypted: base64Field("encrypted")
    .refine((s) => (base64ToBytes(s)?.length ?? 0) > TAG_BYTES, "encrypted is too short to hold a value")
    // the 64 KiB value limit holds on the executor too, whoever sealed the record
    .refine((s) => s.length <= Math.ceil((MAX_CREDENTIAL_BYTES + TAG_BYTES) / 3) * 4, `encrypted holds more than ${MAX_CREDENTIAL_BYTES} bytes (64 KiB)`),
});
export type EncryptedCredential = z.infer<typeof EncryptedCredentialSchema>;

export function checkCredentialName(name: string): void {
  if (!CREDENTIAL_NAME.test(name)) {
    throw arcrunError("credential_name_invalid", `Credential name "${name.slice(0, 140)}" is not allowed.`, {
      hint: "Use letters, digits, _ and - (starting with a letter or _), at most 128 characters, so it works as {{credential.name}}.",
    });
  }
}

/** Empty and oversized values are refused before anything is encrypted or stored. */
export function checkCredentialValue(name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw arcrunError("credential_value_invalid", `Credential "${name}" must be a string, not ${value === null ? "null" : typeof value}.`, {
      hint: `Write it as \`${name}: "..."\` (quote numbers and booleans), or \`${name}: {value: "...", description: "..."}\`.`,
    });
  }
  if (value.length === 0) {
    throw arcrunError("credential_value_empty", `Credential "${name}" is empty.`, { hint: "Give it a value, or remove it with `acr creds rm " + name + "`." });
  }
  const bytes = utf8.encode(value).length;
  if (bytes > MAX_CREDENTIAL_BYTES) {
    throw arcrunError("credential_value_too_large", `Credential "${name}" is ${bytes} bytes; the limit is ${MAX_CREDENTIAL_BYTES} bytes (64 KiB).`, {
      hint: "Store large material (certificates bundles, files) elsewhere and keep only its access token here.",
    });
  }
}

export async function encryptCredential(key: EncryptionKey, name: string, value: string): Promise<EncryptedCredential> {
  checkCredentialName(name);
  checkCredentialValue(name, value);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(name) }, key.aes, utf8.encode(value));
  return { v: 1, alg: CREDENTIAL_ALG, kid: key.id, iv: bytesToBase64(iv), encrypted: bytesToBase64(new Uint8Array(sealed)) };
}

/**
 * Open a record. Errors (never showing the value or the key):
 * `credential_record_invalid` (not a record), `credential_undecryptable` with
 * `details.reason` "wrong_key" (sealed by another key) or "tampered" (ciphertext, IV or name changed).
 */
export async function decryptCredential(key: EncryptionKey, name: string, record: unknown): Promise<string> {
  const parsed = EncryptedCredentialSchema.safeParse(record);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw arcrunError("credential_record_invalid", `Stored credential "${name}" is not a valid encrypted record (${first.path.join(".") || "record"}: ${first.message}).`, {
      hint: `Push it again with \`acr creds push\` (credentials.yaml entry "${name}").`,
    });
  }
  const { kid, iv, encrypted } = parsed.data;
  if (kid !== key.id) {
    throw arcrunError("credential_undecryptable", `Credential "${name}" was encrypted with key ${kid}, but the key in use is ${key.id}.`, {
      hint: "The encryption key changed. Rotate with `acr creds rotate-key` (it needs the old key, kept in ~/.arcrun/config.json), or push the value again with `acr creds push`.",
      details: { reason: "wrong_key", credential: name },
    });
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64ToBytes(iv)!, additionalData: utf8.encode(name) },
      key.aes,
      base64ToBytes(encrypted)!,
    );
    return utf8.decode(new Uint8Array(plain));
  } catch {
    throw arcrunError("credential_undecryptable", `Credential "${name}" does not decrypt: its ciphertext, IV or name was changed after it was sealed.`, {
      hint: `Push the value again with \`acr creds push\` (credentials.yaml entry "${name}"); if the key changed, run \`acr creds rotate-key\`.`,
      details: { reason: "tampered", credential: name },
    });
  }
}

/**
 * A keyed fingerprint of a value (HMAC-SHA-256 under a key derived from the encryption key):
 * lets `acr creds push` say "unchanged" without the plaintext ever leaving the machine, and
 * reveals nothing to whoever reads the store without the key.
 */
export async function fingerprintCredential(key: EncryptionKey, name: string, value: string): Promise<string> {
  const message = utf8.encode(`${name}\u0000${value}`);
  const mac = await crypto.subtle.sign("HMAC", key.fingerprint, message);
  return bytesToBase64Url(new Uint8Array(mac));
}
