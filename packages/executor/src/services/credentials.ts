/**
 * Credentials for a request: the vault over `CREDENTIALS_KV` (routes/credentials.ts) and the
 * SecretSource a run decrypts from, both keyed by the Worker secret `ARCRUN_ENCRYPTION_KEY`.
 * The key is parsed once per isolate (per key text). Every value a run decrypts is also fed
 * to that run's Redactor, which the runner applies to the record before it is stored or sent.
 */
import {
  CredentialVault, Redactor, arcrunError, parseEncryptionKey, vaultSecretSource,
  type EncryptionKey, type SecretSource,
} from "@arcrun/core";
import type { Env } from "../env";
import { kvKeyValueStore } from "../bindings/kv-key-value";

const parsed = new Map<string, Promise<EncryptionKey>>();

/** The executor's key; rejects with encryption_key_missing / encryption_key_invalid and the command that makes one. */
export function executorKey(env: Env): Promise<EncryptionKey> {
  const text = env.ARCRUN_ENCRYPTION_KEY ?? "";
  let key = parsed.get(text);
  if (!key) {
    key = parseEncryptionKey(text, { source: "the Worker secret ARCRUN_ENCRYPTION_KEY" });
    if (text) parsed.set(text, key);
  }
  return key;
}

/** The key's id, or null when the key is missing or malformed (the vault then refuses uploads). */
export async function executorKeyId(env: Env): Promise<string | null> {
  return executorKey(env).then((k) => k.id, () => null);
}

export async function credentialVault(env: Env): Promise<CredentialVault> {
  if (!env.CREDENTIALS_KV) {
    throw arcrunError("credentials_not_configured", "This executor has no CREDENTIALS_KV binding, so it cannot store credentials.", {
      hint: "Add the KV namespace to wrangler.jsonc (`kv_namespaces: [{binding: \"CREDENTIALS_KV\"}]`) and deploy again.",
    });
  }
  return new CredentialVault(kvKeyValueStore(env.CREDENTIALS_KV), { keyId: await executorKeyId(env) });
}

/** A run's SecretSource: decrypts on demand and teaches `redactor` every value it hands out. */
export function runSecrets(env: Env, redactor: Redactor): SecretSource {
  let source: Promise<SecretSource> | undefined;
  return {
    async get(name) {
      source ??= credentialVault(env).then((vault) => vaultSecretSource(vault, () => executorKey(env)));
      const value = await (await source).get(name);
      if (value !== undefined) redactor.add(name, value);
      return value;
    },
  };
}
