/** Credentials by name, decrypted only when a node needs one (the vault over CREDENTIALS_KV in the executor). */

export interface SecretSource {
  /** the plaintext value, or undefined when no credential has this name */
  get(name: string): Promise<string | undefined>;
}
