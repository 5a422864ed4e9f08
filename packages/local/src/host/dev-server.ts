/**
 * The local server behind `acr dev` / `npm start`: the executor Worker in real workerd via
 * Miniflare, KV/D1/R2 persisted under the state folder, served on 127.0.0.1 through a
 * direct socket (no Miniflare entry worker in the path: DESIGN § Speed), no network.
 *
 *   const server = await startDevServer({ port: 8787, keySource });   // resolves once serving
 *   await server.stop();                                              // disposes workerd
 *
 * Where the encryption key comes from is the caller's policy (`keySource`: the CLI reads and
 * follows its config, packages/cli/src/dev/server.ts); this file only hosts.
 * Signals are the caller's business (acr dev waits for Ctrl-C and calls stop());
 * `handleSignals: true` makes SIGINT/SIGTERM call stop() here instead.
 *
 * Supervised (supervise.ts): once a second the launcher connects to the port; a refused
 * connection means workerd died (a `kill -9`, a crash), and it is started again on the same
 * port and state folder; as on any start, its durable runs in flight resume and the others are
 * marked `interrupted` (interrupted-runs.ts). When
 * restarts keep failing (3 within a minute) it gives up: `server.failed` resolves and
 * `acr dev` exits non-zero.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { authWorker, DEFAULT_AUTH_PORT, DEFAULT_REGISTRY_PORT, executorWorker, hostMiniflareOptions, registryWorker } from "./miniflare-options";
import { prepareAuthBundle, prepareRegistryBundle } from "./registry-bundle";
import { resumeInterruptedRuns, type WorkflowsLike } from "./interrupted-runs";
import { RUNS_WORKFLOW } from "./miniflare-options";
import { startMinuteTick, type ScheduledTarget } from "./minute-tick";
import { resolveAuthSealingKey, resolveLocalApiKey, resolveRegistryAdminKey } from "./api-key";
import { loadExamples, type ExampleResult } from "./load-examples";
import { checkoutRoot, prepareWorkerBundle, stopBundler } from "./executor-bundle";
import { DEFAULT_PORT, STATE_DIR_NAME } from "./state";
import { superviseWorkerd } from "./supervise";
import { registerStandardComponents, type RegisterStandardResult } from "./register-standard";

export { DEFAULT_PORT };

/** The encryption key the executor gets, and where it came from (for the banner). */
export interface HostKey {
  /** the base64 key, for the Worker binding ARCRUN_ENCRYPTION_KEY */
  key: string;
  /** public id, safe to print */
  id: string;
  /** "ARCRUN_ENCRYPTION_KEY" or the config path */
  source: string;
  fromEnv: boolean;
  generated: boolean;
}

/** Finds the key at start and reports a new one while the server runs (returns the stop function). */
export interface KeySource {
  resolve(): Promise<HostKey>;
  follow(current: HostKey, onChange: (next: HostKey) => void | Promise<void>): () => void;
}

export interface DevServerOptions {
  /** default: $PORT, else 8787 (0 = any free port) */
  port?: number;
  /** the registry's port: default $REGISTRY_PORT, else 8788 (any free port when `port` is 0) */
  registryPort?: number;
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
  /** where the key comes from when `encryptionKey` is not given (the CLI's config) */
  keySource?: KeySource;
  /** default: examples/ in the working folder, else the repository's (or `prebuilt.examplesDir`) */
  examplesDir?: string;
  /**
   * Outside a checkout (the installed `arcrun` package): the bundles and examples it ships. In a
   * checkout the Workers are built from source instead, so `npm start` serves the current code.
   */
  prebuilt?: PrebuiltAssets;
  /** banner and progress lines (default console.log) */
  log?: (line: string) => void;
  handleSignals?: boolean;
  /**
   * Submit and approve the built standard components in the registry (author `arcrun`) in the
   * background, each version once (register-standard.ts). Default true; `$ARCRUN_REGISTER_STANDARD=0` turns it off.
   */
  registerStandard?: boolean;
  /** stop esbuild's service process once the bundles are built (the `acr dev` process; not while other builds may run in this process) */
  releaseBundler?: boolean;
  /**
   * A shared deployment on this machine (`MULTI_TENANT=true npm start`, issue 15): the auth Worker
   * joins the executor and the registry, every executor call needs a tenant's key, and the
   * Cloudflare API calls (token checks, the tenants' credential namespaces) go to
   * `cloudflareApiBaseUrl`. Default: on when $MULTI_TENANT is "true", with $AUTH_PORT,
   * $CLOUDFLARE_API_BASE_URL and $ARCRUN_TENANT_CACHE_MS; `false` keeps single-tenant mode.
   */
  multiTenant?: MultiTenantOptions | false;
}

export interface MultiTenantOptions {
  /** the auth Worker's port: default $AUTH_PORT, else 8789 (any free port when `port` is 0) */
  authPort?: number;
  /** CLOUDFLARE_API_BASE_URL for both Workers (default: the variable, else the public API) */
  cloudflareApiBaseUrl?: string;
  /** ARCRUN_TENANT_CACHE_MS: how long a resolved key is trusted (≤ 60 000) */
  tenantCacheMs?: number;
}

export interface PrebuiltAssets {
  executorScript: string;
  registryScript?: string;
  authScript?: string;
  examplesDir?: string;
}

export interface DevServer {
  url: string;
  /** the registry Worker's URL, when its bundle exists */
  registryUrl?: string;
  /** the auth Worker's URL (multi-tenant mode only) */
  authUrl?: string;
  apiKey: string;
  stateDir: string;
  examples: ExampleResult[];
  stop(): Promise<void>;
  /** resolves when workerd died and could not be started again (the server is stopped then) */
  failed: Promise<Error>;
  /** resolves when the standard components are in the registry (undefined: no registry, or turned off) */
  standardRegistered: Promise<RegisterStandardResult | undefined>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stateDir = resolve(options.stateDir ?? process.env.ARCRUN_STATE_DIR ?? STATE_DIR_NAME);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? portFromEnv() ?? DEFAULT_PORT;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = resolveLocalApiKey(stateDir, options.apiKey ?? (process.env.ARCRUN_API_KEY || undefined));
  const encryption: HostKey = options.encryptionKey
    ? { key: options.encryptionKey, id: "", source: "the encryptionKey option", fromEnv: true, generated: false }
    : await requireKeySource(options).resolve();

  const registryPort = options.registryPort ?? portFromEnv("REGISTRY_PORT", DEFAULT_REGISTRY_PORT) ?? (port === 0 ? 0 : DEFAULT_REGISTRY_PORT);
  await assertPortFree(host, port, "PORT", "the executor");
  const scriptPath = await prepareWorkerBundle(stateDir, options.prebuilt?.executorScript);
  // the registry beside the executor: same instance and state folder, a service binding between them
  const registryScript = await prepareRegistryBundle(stateDir, options.prebuilt?.registryScript);
  if (registryScript) await assertPortFree(host, registryPort, "REGISTRY_PORT", "the registry");
  const adminKey = registryScript ? resolveRegistryAdminKey(stateDir) : undefined;
  let registryOnPort = registryPort;
  // MULTI_TENANT: the auth Worker beside them, the executor resolving keys through it
  const mt = multiTenantOptions(options.multiTenant);
  let authScript: string | undefined;
  let authOnPort = 0;
  const sealingKey = mt ? resolveAuthSealingKey(stateDir) : undefined;
  if (mt) {
    authScript = await prepareAuthBundle(stateDir, options.prebuilt?.authScript);
    if (!authScript) throw new Error("MULTI_TENANT=true needs the auth Worker (packages/auth): run `npm run build` in the arcrun checkout.");
    authOnPort = mt.authPort ?? portFromEnv("AUTH_PORT", DEFAULT_AUTH_PORT) ?? (port === 0 ? 0 : DEFAULT_AUTH_PORT);
    await assertPortFree(host, authOnPort, "AUTH_PORT", "the auth Worker");
  }
  // a long-lived server (`acr dev`) does not keep esbuild's service process (~100 MB) once built;
  // in-process callers (tests) may be building something else at the same time
  if (options.releaseBundler) await stopBundler();
  const workerOptions = (encryptionKey: string, onPort = port) =>
    hostMiniflareOptions({
      workers: [
        {
          // usage statistics go to the registry with the API key, the registry's author "local"
          ...executor(encryptionKey, onPort),
        },
        ...(registryScript && adminKey
          ? [registryWorker({ scriptPath: registryScript, host, port: registryOnPort, adminKey: adminKey.key, authorKeys: { local: key.key }, keyHint: `the API key (${key.source}, author "local") and the admin key (${adminKey.source})` })]
          : []),
        ...(mt && authScript && sealingKey
          ? [authWorker({ scriptPath: authScript, host, port: authOnPort, sealingKey: sealingKey.key, cloudflareApiBaseUrl: mt.cloudflareApiBaseUrl, executorWorker: "arcrun-executor" })]
          : []),
      ],
      persistDir: stateDir,
    });
  function executor(encryptionKey: string, onPort: number) {
    const worker = executorWorker({
      scriptPath, host, port: onPort, apiKey: key.key, apiKeyHint: `in ${key.source}`, encryptionKey, registryKey: registryScript ? key.key : undefined,
      ...(mt ? { multiTenant: { cloudflareApiBaseUrl: mt.cloudflareApiBaseUrl, tenantCacheMs: mt.tenantCacheMs } } : {}),
    });
    // AUTH (multi-tenant) and REGISTRY side by side
    const serviceBindings = { ...(worker.serviceBindings as Record<string, unknown> | undefined), ...(registryScript ? { REGISTRY: "arcrun-registry" } : {}) };
    return { ...worker, ...(Object.keys(serviceBindings).length ? { serviceBindings: serviceBindings as typeof worker.serviceBindings } : {}) };
  }
  let currentKey = encryption.key;
  /** starts workerd, closes the runs the last one left running; disposes it again on failure */
  const boot = async (onPort: number) => {
    const next = new Miniflare(workerOptions(currentKey, onPort));
    try {
      const bootUrl = (await next.unsafeGetDirectURL()).href.replace(/\/$/, "");
      let bootRegistryUrl: string | undefined;
      if (registryScript) {
        bootRegistryUrl = (await next.unsafeGetDirectURL("arcrun-registry")).href.replace(/\/$/, "");
        // a restart binds the registry to the same port again
        registryOnPort = Number(new URL(bootRegistryUrl).port);
      }
      let bootAuthUrl: string | undefined;
      if (authScript) {
        bootAuthUrl = (await next.unsafeGetDirectURL("arcrun-auth")).href.replace(/\/$/, "");
        authOnPort = Number(new URL(bootAuthUrl).port);
      }
      const bindings = await next.getBindings<Record<string, WorkflowsLike>>();
      const interrupted = await resumeInterruptedRuns(await next.getD1Database("ARCRUN_DB"), bindings[RUNS_WORKFLOW.binding]);
      if (interrupted.resumed.length > 0) log(`  ${interrupted.resumed.length} durable run(s) cut off by the last stop resumed from their last finished node: ${interrupted.resumed.join(", ")}`);
      if (interrupted.failed > 0) log(`  ${interrupted.failed} run(s) left running by the last stop are now failed (interrupted)`);
      return { mf: next, url: bootUrl, registryUrl: bootRegistryUrl, authUrl: bootAuthUrl };
    } catch (err) {
      await next.dispose().catch(() => {});
      throw err;
    }
  };
  const first = await boot(port);
  let mf = first.mf;
  const url = first.url;
  const registryUrl = first.registryUrl;
  const authUrl = first.authUrl;
  const boundPort = Number(new URL(url).port);

  const examplesDir = options.examplesDir ? resolve(options.examplesDir) : defaultExamplesDir(options.prebuilt?.examplesDir);
  // a shared deployment has no tenant to load examples for: each tenant pushes its own
  const examples = examplesDir && !mt ? await loadExamples(examplesDir, url, key.key, await mf.getKVNamespace("WEBHOOKS")) : [];

  // `acr creds rotate-key` flips the key in the config; the executor follows without a restart
  const switchKey = async (next: HostKey) => {
    try {
      await mf.setOptions(workerOptions(next.key, boundPort));
      currentKey = next.key;
      log(`  credentials: now using encryption key ${next.id} from ${next.source}`);
    } catch (err) {
      log(`  ✗ could not switch to the new encryption key: ${(err as Error).message}; restart npm start`);
    }
  };
  const unfollow = options.keySource ? options.keySource.follow(encryption, switchKey) : () => {};
  // cron triggers: the scheduled handler at each minute, as on Cloudflare (missed minutes are not replayed)
  const stopTick = startMinuteTick(() => mf.getWorker() as unknown as Promise<ScheduledTarget>, log);

  // the standard library in the registry, public, so usage counts from the first run
  const registering = new AbortController();
  // from a checkout's built components/ (the npm package carries them only inside the executor bundle)
  const checkout = checkoutRoot();
  const componentsDir = checkout ? join(checkout, "components") : "";
  const registerStandard = options.registerStandard ?? process.env.ARCRUN_REGISTER_STANDARD !== "0";
  const standardRegistered: Promise<RegisterStandardResult | undefined> =
    registryUrl && adminKey && registerStandard && componentsDir && existsSync(componentsDir)
      ? registerStandardComponents({ registryUrl, adminKey: adminKey.key, componentsDir, signal: registering.signal }).then(
          (done) => {
            if (registering.signal.aborted) return done;
            if (done.registered.length) log(`  registry: ${done.registered.length} standard component(s) accepted and public (author arcrun): ${done.registered.join(", ")}`);
            for (const f of done.failed) log(`  ✗ registry: standard component ${f.name} was not registered: ${f.error}`);
            return done;
          },
          (err) => {
            if (!registering.signal.aborted) log(`  ✗ registry: the standard components were not registered: ${(err as Error).message}`);
            return undefined;
          },
        )
      : Promise.resolve(undefined);

  let stopped: Promise<void> | undefined;
  const supervisor = superviseWorkerd({
    host,
    port: boundPort,
    log,
    restart: async () => {
      await mf.dispose().catch(() => {});
      mf = (await boot(boundPort)).mf;
    },
    onGiveUp: () => void stop(),
  });
  const onSignal = () => void stop();
  const stop = () => {
    stopped ??= (async () => {
      registering.abort();
      supervisor.stop();
      unfollow();
      stopTick();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      // after a restart Miniflare may find its loopback server closed already: that is the goal
      await mf.dispose().catch((err: NodeJS.ErrnoException) => {
        if (err?.code !== "ERR_SERVER_NOT_RUNNING") throw err;
      });
    })();
    return stopped;
  };
  if (options.handleSignals) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }

  for (const line of banner({ url, stateDir, keySource: key.source, examplesDir: mt ? undefined : examplesDir, examples, multiTenant: Boolean(mt) })) log(line);
  if (registryUrl) log(`  registry: ${registryUrl} (admin key in ${adminKey!.source})`);
  if (authUrl) {
    log(`  auth:     ${authUrl} (MULTI_TENANT: register with acr init --standard --url ${url} --auth-url ${authUrl})`);
    log(`  cloudflare API: ${mt!.cloudflareApiBaseUrl ?? "https://api.cloudflare.com/client/v4"} (token checks and each tenant's credentials namespace)`);
  }
  // a shared deployment opens each tenant's credentials with that tenant's data key, not this one
  if (encryption.id && !mt) log(`  credentials: encryption key ${encryption.id} from ${encryption.source}${encryption.generated ? " (generated now)" : ""}`);
  return { url, registryUrl, authUrl, apiKey: key.key, stateDir, examples, stop, failed: supervisor.failed, standardRegistered };
}

function requireKeySource(options: DevServerOptions): KeySource {
  if (!options.keySource) throw new Error("startDevServer needs encryptionKey or keySource");
  return options.keySource;
}

function banner(o: { url: string; stateDir: string; keySource: string; examplesDir?: string; examples: ExampleResult[]; multiTenant?: boolean }): string[] {
  const lines = [
    `arcrun executor (workerd) listening on ${o.url}${o.multiTenant ? " (MULTI_TENANT: every call needs a tenant's key)" : ""}`,
    `  state:    ${o.stateDir}  (workflows in KV, runs in D1; kept across restarts)`,
    o.multiTenant ? "  API keys: each tenant's, from the auth Worker (acr init --standard --auth-url)" : `  API key:  ${o.keySource}; the acr CLI finds it by itself`,
  ];
  if (o.multiTenant) lines.push("  examples: not loaded (shared deployment: each tenant pushes its own)");
  else if (!o.examplesDir) lines.push("  examples: none (no examples/ folder)");
  else {
    const loaded = o.examples.filter((e) => !e.error && !e.kept);
    const kept = o.examples.filter((e) => e.kept);
    lines.push(`  examples: ${loaded.length} loaded from ${o.examplesDir}${loaded.length ? `: ${loaded.map((e) => e.name).join(", ")}` : ""}`);
    if (kept.length) lines.push(`  examples: kept your own ${kept.map((e) => e.name).join(", ")} (pushed under an example's name; not replaced)`);
    for (const failed of o.examples.filter((e) => e.error)) lines.push(`  ✗ example ${failed.file} was not loaded: ${failed.error}`);
  }
  return lines;
}

function defaultExamplesDir(prebuilt: string | undefined): string | undefined {
  const root = checkoutRoot();
  const candidates = [resolve("examples"), ...(root ? [join(root, "examples")] : []), ...(prebuilt ? [prebuilt] : [])];
  return candidates.find((dir) => existsSync(dir));
}

function multiTenantOptions(given: MultiTenantOptions | false | undefined): MultiTenantOptions | undefined {
  if (given === false) return undefined;
  if (given === undefined && process.env.MULTI_TENANT !== "true") return undefined;
  const cacheMs = process.env.ARCRUN_TENANT_CACHE_MS;
  return {
    cloudflareApiBaseUrl: process.env.CLOUDFLARE_API_BASE_URL || undefined,
    tenantCacheMs: cacheMs !== undefined && cacheMs !== "" ? Number(cacheMs) : undefined,
    ...given,
  };
}

function portFromEnv(name = "PORT", fallback = DEFAULT_PORT): number | undefined {
  const raw = process.env[name];
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}=${raw} is not a port number; use 1-65535 or leave it unset for ${fallback}.`);
  return n;
}

/** A port of the dev server that is taken: which one, and the variable that moves it. */
export interface PortInUseError extends NodeJS.ErrnoException {
  code: "EADDRINUSE";
  port: number;
  /** `PORT` (the executor) or `REGISTRY_PORT` (the registry) */
  envVar: string;
  /** "the executor" or "the registry" */
  serves: string;
}

/** workerd's own bind failure is an opaque "runtime failed to start"; check first and say what to do. */
async function assertPortFree(host: string, port: number, envVar: string, serves: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EADDRINUSE") return fail(err);
      const error = new Error(
        `Port ${port} on ${host} (${serves}, ${envVar}) is already in use (another arcrun?). Stop the other process or choose a port: ${envVar}=${port + 1} npm start`,
      ) as PortInUseError;
      error.code = "EADDRINUSE";
      error.port = port;
      error.envVar = envVar;
      error.serves = serves;
      fail(error);
    });
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}
