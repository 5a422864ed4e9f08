/**
 * The run-time end of credentials: a SecretSource (what `executeWorkflow` takes as
 * `options.secrets`) that reads the sealed record from the vault and opens it with the
 * executor's key, only when a node needs it. Each value is decrypted at most once per source
 * (one source per run), so a run sees one consistent value per name.
 */
import type { EncryptionKey } from "../crypto/key";
import { decryptCredential } from "../crypto/credential";
import type { SecretSource } from "../ports/secret-source";
import type { CredentialVault } from "./vault";

/** `key` is called only when a stored record must be opened, so a missing key fails only runs that need one. */
export function vaultSecretSource(vault: Pick<CredentialVault, "sealed">, key: () => Promise<EncryptionKey>): SecretSource {
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    get(name) {
      let value = cache.get(name);
      if (!value) {
        value = (async () => {
          const record = await vault.sealed(name);
          return record === undefined ? undefined : decryptCredential(await key(), name, record);
        })();
        cache.set(name, value);
      }
      return value;
    },
  };
}
