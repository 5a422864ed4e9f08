/**
 * The local server's encryption key (`npm start` / `acr dev`): ARCRUN_ENCRYPTION_KEY when set,
 * else the arcrun config's (`~/.arcrun/config.json` or ARCRUN_CONFIG), else a new one generated
 * on first start and stored there (mode 0600) so `acr creds push` seals with the same key.
 * When the key comes from the config, the server follows it: `acr creds rotate-key` flips the
 * config and the running executor picks the new key up without a restart.
 */
import { unwatchFile, watchFile } from "node:fs";
import { generateEncryptionKey, parseEncryptionKey } from "@arcrun/core/crypto/key";
import { readConfig, updateConfig } from "../config";
import { cliErrors } from "./errors";

type Env = Record<string, string | undefined>;

export interface LauncherKey {
  /** the base64 key, for the Worker binding ARCRUN_ENCRYPTION_KEY */
  key: string;
  /** public id, safe to print */
  id: string;
  /** "ARCRUN_ENCRYPTION_KEY" or the config path */
  source: string;
  fromEnv: boolean;
  generated: boolean;
}

export async function resolveLauncherEncryptionKey(env: Env): Promise<LauncherKey> {
  if (env.ARCRUN_ENCRYPTION_KEY) {
    const parsed = await cliErrors(() => parseEncryptionKey(env.ARCRUN_ENCRYPTION_KEY, { source: "ARCRUN_ENCRYPTION_KEY" }));
    return { key: env.ARCRUN_ENCRYPTION_KEY.trim(), id: parsed.id, source: "ARCRUN_ENCRYPTION_KEY", fromEnv: true, generated: false };
  }
  const loaded = readConfig(env);
  if (loaded.config.encryption_key) {
    const parsed = await cliErrors(() => parseEncryptionKey(loaded.config.encryption_key, { source: loaded.path }));
    return { key: loaded.config.encryption_key.trim(), id: parsed.id, source: loaded.path, fromEnv: false, generated: false };
  }
  const key = generateEncryptionKey();
  const saved = updateConfig(env, (config) => ({ ...config, mode: config.mode ?? "local", encryption_key: key }));
  return { key, id: (await parseEncryptionKey(key)).id, source: saved.path, fromEnv: false, generated: true };
}

/**
 * Calls `onChange` with the config's new key whenever it changes to another valid key (polling:
 * the config is replaced by rename, which fs.watch on the file would miss). Returns the stop
 * function. Does nothing when the key came from the environment.
 */
export function followConfigKey(env: Env, current: LauncherKey, onChange: (key: LauncherKey) => void | Promise<void>, intervalMs = 500): () => void {
  if (current.fromEnv) return () => {};
  let known = current.key;
  const path = current.source;
  const check = async () => {
    let next: string | undefined;
    try {
      next = readConfig(env).config.encryption_key?.trim();
      if (!next || next === known) return;
      const parsed = await parseEncryptionKey(next);
      known = next;
      await onChange({ key: next, id: parsed.id, source: path, fromEnv: false, generated: false });
    } catch {
      // a config being edited by hand may be invalid for a moment: keep the current key
    }
  };
  watchFile(path, { interval: intervalMs }, () => void check());
  return () => unwatchFile(path);
}
