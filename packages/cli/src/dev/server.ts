/**
 * `acr dev` / `npm start`: @arcrun/local's dev server (the executor in workerd) with the CLI's
 * encryption key policy: ARCRUN_ENCRYPTION_KEY, else the arcrun config's key, followed when
 * `acr creds rotate-key` changes it (credentials/launcher-key.ts). Imported only by
 * commands/dev.ts, so other commands never load Miniflare.
 */
import { startDevServer as startLocalServer, type DevServer, type DevServerOptions } from "@arcrun/local/host/dev-server";
import { packageAssets } from "../assets";
import { followConfigKey, resolveLauncherEncryptionKey } from "../credentials/launcher-key";
import { findLocalApiKeyFile } from "../settings";

export { DEFAULT_PORT } from "@arcrun/local/host/dev-server";
export type { DevServer };

export function startDevServer(options: Omit<DevServerOptions, "keySource"> = {}): Promise<DevServer> {
  const assets = packageAssets();
  return startLocalServer({
    // used outside a checkout only (the installed package); a checkout builds from source
    prebuilt: { executorScript: assets.executorScript, registryScript: assets.registryScript, examplesDir: assets.examplesDir },
    ...options,
    keySource: {
      resolve: () => resolveLauncherEncryptionKey(process.env),
      follow: (current, onChange) => followConfigKey(process.env, current, onChange),
    },
  });
}

/** The key a local server uses, found the way the CLI finds it (see settings.ts). */
export function findLocalApiKey(stateDir?: string): string | undefined {
  return findLocalApiKeyFile(stateDir ?? process.env.ARCRUN_STATE_DIR, process.cwd())?.key;
}
