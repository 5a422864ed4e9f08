/**
 * The local server's API key: ARCRUN_API_KEY when set, else the key kept in
 * `<state>/api-key`, else a new one (32 random bytes, base64url) written there with mode
 * 0600 on first start. The CLI reads the same file (packages/cli/src/settings.ts), so nobody copies keys.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateEncryptionKey } from "@arcrun/core/crypto/key";
import { API_KEY_FILE, AUTH_SEALING_KEY_FILE, REGISTRY_ADMIN_KEY_FILE } from "./state";

export interface LocalApiKey {
  key: string;
  /** for the banner and the Worker's 401 hint: where the key comes from */
  source: string;
}

export function apiKeyFile(stateDir: string): string {
  return join(stateDir, API_KEY_FILE);
}

export function resolveLocalApiKey(stateDir: string, given: string | undefined): LocalApiKey {
  if (given) return { key: given, source: "the ARCRUN_API_KEY environment variable" };
  return keyInFile(apiKeyFile(stateDir));
}

/** The registry's admin key: `<state>/registry-admin-key`, generated on first start like the API key. */
export function resolveRegistryAdminKey(stateDir: string): LocalApiKey {
  return keyInFile(join(stateDir, REGISTRY_ADMIN_KEY_FILE));
}

/** The local auth Worker's sealing key (32 bytes, base64): `<state>/auth-sealing-key`, generated on first start. */
export function resolveAuthSealingKey(stateDir: string): LocalApiKey {
  return keyInFile(join(stateDir, AUTH_SEALING_KEY_FILE), generateEncryptionKey);
}

/** The key kept in `path`, else a new one written there (mode 0600). */
function keyInFile(path: string, generate = () => randomBytes(32).toString("base64url")): LocalApiKey {
  if (existsSync(path)) {
    const key = readFileSync(path, "utf8").trim();
    if (key) return { key, source: path };
  }
  const key = generate();
  try {
    // "wx": never overwrite a key another process wrote a moment ago.
    writeFileSync(path, key + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { key: readFileSync(path, "utf8").trim(), source: path };
  }
  return { key, source: path };
}
