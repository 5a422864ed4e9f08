/**
 * The user's arcrun config: `~/.arcrun/config.json`, or the file `ARCRUN_CONFIG` names.
 * Written by `acr init` and `acr creds rotate-key`, read by the credential commands, the
 * server settings and the local launcher (which takes its encryption key from here).
 * It holds the encryption key, so it is written atomically (temp file + rename) with mode 0600
 * in a 0700 folder, and unknown keys are kept so newer versions can add fields.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { z } from "@arcrun/core/schema";
import { CliError, EXIT } from "./exit";

/** What `acr init --self-hosted` / `acr deploy` installed on a Cloudflare account (written as it goes). */
export const SelfHostedSchema = z
  .object({
    account_id: z.string().optional(),
    worker: z.string().optional(),
    /** the executor's workers.dev URL */
    url: z.string().optional(),
    /** the deployed Worker's ARCRUN_API_KEY (also `api_key` once the install is done) */
    api_key: z.string().optional(),
    /** binding → KV namespace / D1 database id */
    resources: z.record(z.string(), z.string()).optional(),
    /** content hash of the last upload: the same bundle and bindings are not uploaded again */
    worker_hash: z.string().optional(),
    /** secret name → fingerprint of the value the Worker has (never the value) */
    secrets: z.record(z.string(), z.string()).optional(),
    /** the steps whose resource this install created (kv:WEBHOOKS, d1:ARCRUN_DB, r2:WASM_BUCKET, worker): what `acr destroy` removes */
    created: z.array(z.string()).optional(),
    /** the arcrun package version deployed */
    version: z.string().optional(),
    deployed_at: z.string().optional(),
  })
  .passthrough();
export type SelfHostedRecord = z.infer<typeof SelfHostedSchema>;

export const ConfigSchema = z
  .object({
    /** how `acr init` set this machine up */
    mode: z.enum(["local", "standard"]).optional(),
    /** the executor commands talk to (ARCRUN_URL and --url win) */
    url: z.string().optional(),
    /** the API key for `url` (ARCRUN_API_KEY wins) */
    api_key: z.string().optional(),
    /** ARCRUN_ENCRYPTION_KEY: 32 random bytes, base64 (the env variable wins) */
    encryption_key: z.string().optional(),
    /** a rotation under way: the key being rotated to, saved before anything is re-encrypted */
    encryption_key_next: z.string().optional(),
    /** a rotation under way: the key being rotated from, kept until the executor has committed */
    encryption_key_previous: z.string().optional(),
    /** a shared deployment (`acr init --standard --auth-url`): the auth Worker (ARCRUN_AUTH_URL and --auth-url win) */
    auth_url: z.string().optional(),
    /** the tenant `POST /register` created (not a secret) */
    tenant_id: z.string().optional(),
    /** the id of `api_key` at the auth Worker (`acr keys list` marks it) */
    key_id: z.string().optional(),
    /** the tenant's data key (32 bytes, base64): `acr creds push` seals with it; never sent anywhere */
    data_key: z.string().optional(),
    /** where the tenant's credentials live: their own Cloudflare account and KV namespace */
    account_id: z.string().optional(),
    kv_namespace_id: z.string().optional(),
    /** a deployment on the user's own Cloudflare account (`acr init --self-hosted`) */
    self_hosted: SelfHostedSchema.optional(),
    /** the registry `acr parts search|info|submit|install` talk to (REGISTRY_URL and --registry win) */
    registry_url: z.string().optional(),
    /** your author key for `registry_url` (REGISTRY_KEY wins) */
    registry_key: z.string().optional(),
  })
  .passthrough();
export type ArcrunConfig = z.infer<typeof ConfigSchema>;

type Env = Record<string, string | undefined>;

export function configPath(env: Env): string {
  if (env.ARCRUN_CONFIG) return resolve(env.ARCRUN_CONFIG);
  return join(env.HOME || env.USERPROFILE || homedir(), ".arcrun", "config.json");
}

export interface LoadedConfig {
  path: string;
  exists: boolean;
  config: ArcrunConfig;
  /** group or others may read it (mode not 0600) */
  readableByOthers: boolean;
}

export function readConfig(env: Env): LoadedConfig {
  const path = configPath(env);
  if (!existsSync(path)) return { path, exists: false, config: {}, readableByOthers: false };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw configError(path, `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw configError(path, `is not an arcrun config: ${issue.path.join(".") || "the file"}: ${issue.message}`);
  }
  const mode = statSync(path).mode;
  return { path, exists: true, config: parsed.data, readableByOthers: process.platform !== "win32" && (mode & 0o077) !== 0 };
}

/** Replace the file with `config` atomically; a crash leaves the old file or the new one, never half of one. */
export function writeConfig(path: string, config: ArcrunConfig): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(stripUndefined(config), null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(temp, 0o600); // whatever the umask did
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/** Read, change, write: `change` gets a copy and returns the new config. */
export function updateConfig(env: Env, change: (config: ArcrunConfig) => ArcrunConfig): LoadedConfig {
  const loaded = readConfig(env);
  const config = change({ ...loaded.config });
  writeConfig(loaded.path, config);
  return { path: loaded.path, exists: true, config, readableByOthers: false };
}

export interface KeyText {
  text: string;
  /** shown in errors: "ARCRUN_ENCRYPTION_KEY" or the config path */
  source: string;
  fromEnv: boolean;
}

/** The encryption key the CLI uses: ARCRUN_ENCRYPTION_KEY, else the config file's. */
export function encryptionKeyText(env: Env, loaded: LoadedConfig = readConfig(env)): KeyText | undefined {
  if (env.ARCRUN_ENCRYPTION_KEY) return { text: env.ARCRUN_ENCRYPTION_KEY, source: "ARCRUN_ENCRYPTION_KEY", fromEnv: true };
  if (loaded.config.encryption_key) return { text: loaded.config.encryption_key, source: loaded.path, fromEnv: false };
  return undefined;
}

function configError(path: string, what: string): CliError {
  return new CliError(`${path} ${what}`, {
    code: "config_invalid",
    hint: "fix the file by hand, or move it away and run `acr init` (set ARCRUN_CONFIG to use another file)",
  });
}

function stripUndefined(config: ArcrunConfig): ArcrunConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as ArcrunConfig;
}
