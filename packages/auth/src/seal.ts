/**
 * Sealing a tenant's secrets (their Cloudflare token, their data key) with AES-256-GCM under the
 * auth Worker's key AUTH_SEALING_KEY: random 96-bit IV, the tenant id and field name as
 * additional data, so a sealed value copied into another tenant's record does not open.
 */
import { arcrunError } from "@arcrun/core/errors";
import { base64ToBytes, bytesToBase64, parseEncryptionKey, utf8, type EncryptionKey } from "@arcrun/core/crypto/index";
import type { Env } from "./env";

export interface Sealed {
  iv: string;
  ct: string;
}

const keys = new Map<string, Promise<EncryptionKey>>();

/** The sealing key, parsed once per isolate; 503 auth_not_configured when missing or malformed. */
export async function sealingKey(env: Env): Promise<EncryptionKey> {
  const text = env.AUTH_SEALING_KEY ?? "";
  let key = keys.get(text);
  if (!key) {
    key = parseEncryptionKey(text, { source: "the Worker secret AUTH_SEALING_KEY" });
    keys.set(text, key);
  }
  try {
    return await key;
  } catch {
    keys.delete(text);
    throw arcrunError("auth_not_configured", "The auth Worker has no valid sealing key, so it cannot store tenants.", {
      hint: "Set it: `openssl rand -base64 32 | wrangler secret put AUTH_SEALING_KEY`.",
    });
  }
}

const aad = (tenantId: string, field: string) => utf8.encode(`arcrun tenant ${tenantId} ${field}`);

export async function seal(key: EncryptionKey, tenantId: string, field: string, plain: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(tenantId, field) }, key.aes, utf8.encode(plain));
  return { iv: bytesToBase64(iv), ct: bytesToBase64(new Uint8Array(ct)) };
}

export async function open(key: EncryptionKey, tenantId: string, field: string, sealed: Sealed): Promise<string> {
  const iv = base64ToBytes(sealed.iv);
  const ct = base64ToBytes(sealed.ct);
  if (!iv || !ct) throw new Error(`sealed ${field} of ${tenantId} is malformed`);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad(tenantId, field) }, key.aes, ct);
  return new TextDecoder().decode(plain);
}
