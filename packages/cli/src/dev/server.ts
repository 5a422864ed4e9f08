/**
 * The local server behind `acr dev` / `npm start`: the executor Worker in real workerd via
 * Miniflare, KV/D1/R2 persisted under the state folder, served on 127.0.0.1 through a
 * direct socket (no Miniflare entry worker in the path: DESIGN § Speed), no network.
 *
 *   const server = await startDevServer({ port: 8787 });   // resolves once serving
 *   await server.stop();                                   // disposes workerd
 *
 * Signals are the caller's business (acr dev waits for Ctrl-C and calls stop());
 * `handleSignals: true` makes SIGINT/SIGTERM call stop() here instead.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { executorMiniflareOptions } from "@arcrun/executor/node/miniflare-options";
import { failInterruptedRuns } from "@arcrun/executor/node/interrupted-runs";
import { findLocalApiKeyFile, STATE_DIR_NAME } from "../settings";
import { resolveLocalApiKey } from "./api-key";
import { followConfigKey, resolveLauncherEncryptionKey, type LauncherKey } from "../credentials/launcher-key";
import { loadExamples, type ExampleResult } from "./load-examples";
import { executorDir, prepareWorkerBundle } from "./worker-bundle";

export const DEFAULT_PORT = 8787;

export interface DevServerOptions {
  /** default: $PORT, else 8787 (0 = any free port) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** default: $ARCRUN_STATE_DIR, else .arcrun in the working folder */
  stateDir?: string;
  /** default: $ARCRUN_API_KEY, else <stateDir>/api-key (generated on first start) */
  apiKey?: string;
  /**
   * ARCRUN_ENCRYPTION_KEY for credentials. Default: $ARCRUN_ENCRYPTION_KEY, else the arcrun
   * config's (followed when `acr creds rotate-key` changes it), else generated and stored there.
   */
  encryptionKey?: string;
  /** default: examples/ in the working folder, else the repository's examples/ */
  examplesDir?: string;
  /** banner and progress lines (default console.log) */
  log?: (line: string) => void;
  handleSignals?: boolean;
}

export interface DevServer {
  url: string;
  apiKey: string;
  stateDir: string;
  examples: ExampleResult[];
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stateDir = resolve(options.stateDir ?? process.env.ARCRUN_STATE_DIR ?? STATE_DIR_NAME);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? portFromEnv() ?? DEFAULT_PORT;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = resolveLocalApiKey(stateDir, options.apiKey ?? (process.env.ARCRUN_API_KEY || undefined));
  const encryption: LauncherKey = options.encryptionKey
    ? { key: options.encryptionKey, id: "", source: "the encryptionKey option", fromEnv: true, generated: false }
    : await resolveLauncherEncryptionKey(process.env);

  await assertPortFree(host, port);
  const scriptPath = await prepareWorkerBundle(stateDir);
  const workerOptions = (encryptionKey: string, onPort = port) =>
    executorMiniflareOptions({ scriptPath, host, port: onPort, apiKey: key.key, apiKeyHint: `in ${key.source}`, encryptionKey, persistDir: stateDir });
  const mf = new Miniflare(workerOptions(encryption.key));
  let url: string;
  try {
    url = (await mf.unsafeGetDirectURL()).href.replace(/\/$/, "");
    const interrupted = await failInterruptedRuns(await mf.getD1Database("ARCRUN_DB"));
    if (interrupted > 0) log(`  ${interrupted} run(s) left running by the last stop are now failed (interrupted)`);
  } catch (err) {
    await mf.dispose().catch(() => {});
    throw err;
  }

  const examplesDir = options.examplesDir ? resolve(options.examplesDir) : defaultExamplesDir();
  const examples = examplesDir ? await loadExamples(examplesDir, url, key.key) : [];

  // `acr creds rotate-key` flips the key in the config; the executor follows without a restart
  const unfollow = followConfigKey(process.env, encryption, async (next) => {
    try {
      await mf.setOptions(workerOptions(next.key, Number(new URL(url).port)));
      log(`  credentials: now using encryption key ${next.id} from ${next.source}`);
    } catch (err) {
      log(`  ✗ could not switch to the new encryption key: ${(err as Error).message}; restart npm start`);
    }
  });

  let stopped: Promise<void> | undefined;
  const onSignal = () => void stop();
  const stop = () => {
    stopped ??= (async () => {
      unfollow();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await mf.dispose();
    })();
    return stopped;
  };
  if (options.handleSignals) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }

  for (const line of banner({ url, stateDir, keySource: key.source, examplesDir, examples })) log(line);
  if (encryption.id) log(`  credentials: encryption key ${encryption.id} from ${encryption.source}${encryption.generated ? " (generated now)" : ""}`);
  return { url, apiKey: key.key, stateDir, examples, stop };
}

/** The key a local server uses, found the way the CLI finds it (see settings.ts). */
export function findLocalApiKey(stateDir?: string): string | undefined {
  return findLocalApiKeyFile(stateDir ?? process.env.ARCRUN_STATE_DIR, process.cwd())?.key;
}

function banner(o: { url: string; stateDir: string; keySource: string; examplesDir?: string; examples: ExampleResult[] }): string[] {
  const lines = [
    `arcrun executor (workerd) listening on ${o.url}`,
    `  state:    ${o.stateDir}  (workflows in KV, runs in D1; kept across restarts)`,
    `  API key:  ${o.keySource}; the acr CLI finds it by itself`,
  ];
  if (!o.examplesDir) lines.push("  examples: none (no examples/ folder)");
  else {
    const loaded = o.examples.filter((e) => !e.error);
    lines.push(`  examples: ${loaded.length} loaded from ${o.examplesDir}${loaded.length ? `: ${loaded.map((e) => e.name).join(", ")}` : ""}`);
    for (const failed of o.examples.filter((e) => e.error)) lines.push(`  ✗ example ${failed.file} was not loaded: ${failed.error}`);
  }
  return lines;
}

function defaultExamplesDir(): string | undefined {
  const candidates = [resolve("examples"), join(executorDir(), "../../examples")];
  return candidates.find((dir) => existsSync(dir));
}

function portFromEnv(): number | undefined {
  const raw = process.env.PORT;
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT=${raw} is not a port number; use 1-65535 or leave it unset for ${DEFAULT_PORT}.`);
  return n;
}

/** workerd's own bind failure is an opaque "runtime failed to start"; check first and say what to do. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE") return fail(err);
      const error = new Error(
        `Port ${port} on ${host} is already in use (another arcrun?). Stop the other process or choose a port: PORT=${port + 1} npm start`,
      ) as NodeJS.ErrnoException;
      error.code = "EADDRINUSE";
      fail(error);
    });
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}
