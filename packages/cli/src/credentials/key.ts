/**
 * The CLI's encryption key and the executor's must be the same key: a record sealed with
 * another key would be stored and then never decrypt. Both sides know only the key *id*
 * of the other (derived, public), which is what is compared here.
 */
import { parseEncryptionKey, type EncryptionKey } from "@arcrun/core/crypto/key";
import type { CredentialList } from "@arcrun/core/credentials/api";
import { encryptionKeyText, readConfig, type LoadedConfig } from "../config";
import { CliError, EXIT } from "../exit";
import { cliErrors } from "./errors";

export interface LocalKey {
  key: EncryptionKey;
  source: string;
  fromEnv: boolean;
}

export async function loadLocalKey(env: Record<string, string | undefined>, loaded: LoadedConfig = readConfig(env)): Promise<LocalKey> {
  const text = encryptionKeyText(env, loaded);
  if (!text) {
    throw new CliError("no encryption key: ARCRUN_ENCRYPTION_KEY is not set and the config has none", {
      exitCode: EXIT.usage,
      code: "encryption_key_missing",
      hint: `run \`acr init\` to create one (it is written to ${loaded.path}), or set ARCRUN_ENCRYPTION_KEY to the executor's key`,
    });
  }
  const key = await cliErrors(() => parseEncryptionKey(text.text, { source: text.source }));
  return { key, source: text.source, fromEnv: text.fromEnv };
}

/** Refuse to send anything when the executor cannot decrypt what we would seal, or a rotation is under way. */
export function checkSameKey(local: LocalKey, remote: CredentialList, url: string): void {
  if (remote.rotation) {
    throw new CliError(`a key rotation is under way on ${url} (to key ${remote.rotation.to_kid})`, {
      code: "rotation_in_progress",
      hint: "finish it with `acr creds rotate-key` (or undo it with `acr creds rotate-key --abort`); nothing was sent",
    });
  }
  if (remote.key_id === null) {
    throw new CliError(`the executor at ${url} has no encryption key`, {
      exitCode: EXIT.usage,
      code: "executor_key_missing",
      hint: "start it with ARCRUN_ENCRYPTION_KEY set (`npm start` takes it from ~/.arcrun/config.json by itself; on Cloudflare: `wrangler secret put ARCRUN_ENCRYPTION_KEY`)",
    });
  }
  if (remote.key_id !== local.key.id) {
    throw new CliError(`your encryption key (id ${local.key.id}, from ${local.source}) is not the executor's (id ${remote.key_id})`, {
      code: "encryption_key_mismatch",
      hint: "values sealed with it would never decrypt there; use the executor's key (ARCRUN_ENCRYPTION_KEY or `acr init --force --key ...`), or point --url at the executor that uses yours. Nothing was sent.",
    });
  }
}
