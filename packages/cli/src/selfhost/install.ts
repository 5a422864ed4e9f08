/**
 * `acr init --self-hosted` and `acr deploy`: make a Cloudflare account hold a running arcrun.
 *
 *   const state = await inspect(cf, inputs);   // read-only: token, permissions, what exists
 *   const plan = planSteps(state);             // one item per resource, each create | unchanged | update
 *   await apply(cf, state, plan, onStep);      // carries it out, saving progress in the config
 *
 * Every step is idempotent by name: a resource that exists is reused (never replaced by an empty
 * one), a Worker whose upload would be identical is not uploaded again, and the keys are kept in
 * the arcrun config before anything uses them, so a run cut off midway (Ctrl-C, a 5xx or 429
 * after retries) is finished by the next one.
 */
import { generateEncryptionKey } from "@arcrun/core/crypto/key";
import { bytesToBase64Url } from "@arcrun/core/crypto/base64";
import { cf, type KvNamespace, type WorkerModule, type WorkerMetadata } from "../cloudflare/api";
import { CloudflareApiError, type CloudflareClient } from "../cloudflare/client";
import { updateConfig, type ArcrunConfig, type SelfHostedRecord } from "../config";
import {
  CRON,
  D1_DATABASE,
  KV_NAMESPACES,
  PERMISSIONS,
  R2_BUCKET,
  SECRETS,
  WORKER_NAME,
  secretFingerprint,
  uploadHash,
  workerMetadata,
  type Migration,
  type PermissionKey,
  type SecretName,
} from "./desired";

export type Action = "create" | "unchanged" | "update";
export type Outcome = "created" | "unchanged" | "updated";

export interface PlanItem {
  /** stable id of the step: kv:WEBHOOKS, d1:ARCRUN_DB, migrations, r2:WASM_BUCKET, key:encryption, ... */
  step: string;
  kind: string;
  name: string;
  action: Action;
  detail?: string;
}

export interface InstallInputs {
  accountId: string;
  /** what the arcrun config holds now (keys, the record of an earlier install) */
  config: ArcrunConfig;
  configPath: string;
  env: Record<string, string | undefined>;
  modules: WorkerModule[];
  migrations: Migration[];
  /** package version, recorded in the config */
  version: string;
}

/** What the account holds now, read without changing anything. */
export interface InstallState extends InstallInputs {
  kv: Partial<Record<keyof typeof KV_NAMESPACES, string>>;
  d1?: string;
  appliedMigrations: Set<string>;
  r2: boolean;
  scriptExists: boolean;
  secretsPresent: Set<string>;
  crons: string[];
  workersDevEnabled: boolean;
  /** the account's workers.dev subdomain, when it has one */
  subdomain?: string;
  keys: { encryption: string; encryptionSource: "env" | "config" | "new"; api: string; apiSource: "config" | "new" };
}

/** A token without a permission the plan needs, or an account it cannot reach. */
export class AccessProblem extends Error {
  constructor(
    message: string,
    readonly missing: string[],
    readonly wrongAccount: boolean,
  ) {
    super(message);
  }
}

const isDenied = (error: unknown) => error instanceof CloudflareApiError && (error.status === 403 || error.has(10000) || error.has(9109));
const isNoRoute = (error: unknown) => error instanceof CloudflareApiError && (error.has(7003) || error.has(7000));

/** Reads the account: each list call doubles as the check of one permission. */
export async function inspect(client: CloudflareClient, inputs: InstallInputs): Promise<InstallState> {
  const { accountId } = inputs;
  const probes = {
    scripts: cf.listScripts(client, accountId),
    kv: cf.listKv(client, accountId),
    d1: cf.listD1(client, accountId, D1_DATABASE.name),
    r2: cf.listR2(client, accountId, R2_BUCKET.name),
  };
  const settled = await Promise.allSettled(Object.values(probes));
  const keys = Object.keys(probes) as PermissionKey[];
  const failures = settled.map((s, i) => [keys[i], s] as const).filter(([, s]) => s.status === "rejected") as [PermissionKey, PromiseRejectedResult][];
  if (failures.length > 0) {
    if (failures.length === keys.length && failures.every(([, f]) => isNoRoute(f.reason) || isDenied(f.reason))) {
      if (failures.some(([, f]) => isNoRoute(f.reason))) throw new AccessProblem(`the token cannot reach account ${accountId}: is the account id right?`, [], true);
    }
    const denied = failures.filter(([, f]) => isDenied(f.reason));
    if (denied.length === failures.length) {
      throw new AccessProblem(`the API token lacks ${denied.length === 1 ? "a permission" : `${denied.length} permissions`} arcrun needs on account ${accountId}`, denied.map(([k]) => PERMISSIONS[k]), false);
    }
    throw failures.find(([, f]) => !isDenied(f.reason))![1].reason;
  }
  const [scripts, namespaces, databases, buckets] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    { id: string }[],
    KvNamespace[],
    { uuid: string; name: string }[],
    { name: string }[],
  ];
  const kv: InstallState["kv"] = {};
  for (const [binding, title] of Object.entries(KV_NAMESPACES) as [keyof typeof KV_NAMESPACES, string][]) {
    const found = namespaces.find((n) => n.title === title);
    if (found) kv[binding] = found.id;
  }
  const d1 = databases.find((d) => d.name === D1_DATABASE.name)?.uuid;
  const appliedMigrations = d1 ? await appliedMigrationNames(client, accountId, d1) : new Set<string>();
  const scriptExists = scripts.some((s) => s.id === WORKER_NAME);
  const [secrets, crons, workersDev] = scriptExists
    ? await Promise.all([
        cf.listSecrets(client, accountId, WORKER_NAME),
        cf.getSchedules(client, accountId, WORKER_NAME),
        cf.getScriptSubdomain(client, accountId, WORKER_NAME),
      ])
    : [[], [], { enabled: false }];
  let subdomain: string | undefined;
  try {
    subdomain = (await cf.getAccountSubdomain(client, accountId)).subdomain || undefined;
  } catch (error) {
    if (!(error instanceof CloudflareApiError) || error.status >= 500 || error.status === 429) throw error;
    subdomain = undefined; // no workers.dev subdomain registered yet: said in the plan
  }
  return {
    ...inputs,
    kv,
    d1,
    appliedMigrations,
    r2: buckets.some((b) => b.name === R2_BUCKET.name),
    scriptExists,
    secretsPresent: new Set(secrets.map((s) => s.name)),
    crons: crons.map((c) => c.cron),
    workersDevEnabled: Boolean(workersDev.enabled),
    subdomain,
    keys: chooseKeys(inputs),
  };
}

async function appliedMigrationNames(client: CloudflareClient, accountId: string, uuid: string): Promise<Set<string>> {
  const [tables] = await cf.queryD1(client, accountId, uuid, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'");
  if (!tables?.results?.length) return new Set();
  const [rows] = await cf.queryD1(client, accountId, uuid, "SELECT name FROM d1_migrations");
  return new Set((rows?.results ?? []).map((r) => String(r.name)));
}

/** Keys are kept when the config (or ARCRUN_ENCRYPTION_KEY) has them, generated otherwise. */
function chooseKeys(inputs: InstallInputs): InstallState["keys"] {
  const envKey = inputs.env.ARCRUN_ENCRYPTION_KEY?.trim();
  const configKey = inputs.config.encryption_key;
  const encryption = envKey || configKey || generateEncryptionKey();
  const kept = inputs.config.self_hosted?.api_key;
  return {
    encryption,
    encryptionSource: envKey ? "env" : configKey ? "config" : "new",
    api: kept ?? bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32))),
    apiSource: kept ? "config" : "new",
  };
}

export function workerUrl(state: Pick<InstallState, "subdomain">): string | undefined {
  return state.subdomain ? `https://${WORKER_NAME}.${state.subdomain}.workers.dev` : undefined;
}

function apiKeyHint(state: InstallState): string {
  return `in ${state.configPath} (self_hosted.api_key; acr finds it by itself)`;
}

/** The upload as it would be sent; undefined while a resource id is not known yet (created by the plan). */
function upload(state: InstallState, ids = resourceIds(state)): { metadata: WorkerMetadata; hash: string } | undefined {
  if (!ids) return undefined;
  const metadata = workerMetadata(ids, apiKeyHint(state));
  return { metadata, hash: uploadHash(metadata, state.modules) };
}

function resourceIds(state: Pick<InstallState, "kv" | "d1">) {
  const { WEBHOOKS, CREDENTIALS_KV } = state.kv;
  return WEBHOOKS && CREDENTIALS_KV && state.d1 ? { kv: { WEBHOOKS, CREDENTIALS_KV }, d1: state.d1 } : undefined;
}

function secretValue(state: InstallState, name: SecretName): string {
  return name === "ARCRUN_API_KEY" ? state.keys.api : state.keys.encryption;
}

function secretCurrent(state: InstallState, name: SecretName): boolean {
  return state.secretsPresent.has(name) && state.config.self_hosted?.secrets?.[name] === secretFingerprint(name, secretValue(state, name));
}

export function planSteps(state: InstallState): PlanItem[] {
  const items: PlanItem[] = [];
  for (const [binding, title] of Object.entries(KV_NAMESPACES) as [keyof typeof KV_NAMESPACES, string][]) {
    const id = state.kv[binding];
    items.push({ step: `kv:${binding}`, kind: "KV namespace", name: title, action: id ? "unchanged" : "create", detail: id ? `id ${id}` : `binding ${binding}` });
  }
  items.push({ step: `d1:${D1_DATABASE.binding}`, kind: "D1 database", name: D1_DATABASE.name, action: state.d1 ? "unchanged" : "create", detail: state.d1 ? `id ${state.d1}` : `binding ${D1_DATABASE.binding}` });
  const pending = state.migrations.filter((m) => !state.appliedMigrations.has(m.name));
  items.push({
    step: "migrations",
    kind: "D1 migrations",
    name: D1_DATABASE.name,
    action: pending.length === 0 ? "unchanged" : state.appliedMigrations.size === 0 ? "create" : "update",
    detail: pending.length === 0 ? `${state.migrations.length} applied` : `apply ${pending.map((m) => m.name).join(", ")}`,
  });
  items.push({ step: `r2:${R2_BUCKET.binding}`, kind: "R2 bucket", name: R2_BUCKET.name, action: state.r2 ? "unchanged" : "create", detail: `binding ${R2_BUCKET.binding}` });
  items.push({
    step: "key:encryption",
    kind: "encryption key",
    name: "ARCRUN_ENCRYPTION_KEY",
    action: state.keys.encryptionSource === "new" ? "create" : "unchanged",
    detail: state.keys.encryptionSource === "new" ? "generate (32 random bytes), kept in the config" : state.keys.encryptionSource === "env" ? "from ARCRUN_ENCRYPTION_KEY" : `kept from ${state.configPath}`,
  });
  items.push({
    step: "key:api",
    kind: "API key",
    name: "ARCRUN_API_KEY",
    action: state.keys.apiSource === "new" ? "create" : "unchanged",
    detail: state.keys.apiSource === "new" ? "generate (256 bits), kept in the config" : `kept from ${state.configPath}`,
  });
  const planned = upload(state);
  const same = planned !== undefined && state.scriptExists && state.config.self_hosted?.worker_hash === planned.hash;
  const bytes = state.modules.reduce((n, m) => n + m.bytes.length, 0);
  items.push({
    step: "worker",
    kind: "Worker",
    name: WORKER_NAME,
    action: same ? "unchanged" : state.scriptExists ? "update" : "create",
    detail: `arcrun ${state.version}, ${state.modules.length} modules (${(bytes / 1024 / 1024).toFixed(1)} MB), bindings WEBHOOKS CREDENTIALS_KV ARCRUN_DB WASM_BUCKET LOADER`,
  });
  const stale = SECRETS.filter((name) => !secretCurrent(state, name));
  const secretsAction: Action = stale.length === 0 ? "unchanged" : state.secretsPresent.size === 0 ? "create" : "update";
  items.push({ step: "secrets", kind: "Worker secrets", name: SECRETS.join(", "), action: secretsAction, detail: stale.length ? `set ${stale.join(", ")} (values never printed)` : undefined });
  const cronSet = state.crons.length === 1 && state.crons[0] === CRON;
  items.push({ step: "cron", kind: "cron trigger", name: CRON, action: cronSet ? "unchanged" : state.crons.length ? "update" : "create", detail: "wakes the scheduled handler each minute" });
  items.push({
    step: "workers.dev",
    kind: "workers.dev route",
    name: workerUrl(state) ?? `${WORKER_NAME}.<subdomain>.workers.dev`,
    action: state.workersDevEnabled ? "unchanged" : "create",
    detail: state.subdomain ? undefined : "the account has no workers.dev subdomain yet: register one in the dashboard (Workers & Pages)",
  });
  const components = state.modules.filter((m) => m.name.endsWith(".wasm") && !m.name.startsWith("emscripten-module")).length;
  items.push({ step: "components", kind: "standard components", name: `${components} components and the standard recipes`, action: "unchanged", detail: "bundled in the Worker: nothing to upload or seed" });
  const url = workerUrl(state);
  const configDone = state.config.url === url && state.config.api_key === state.keys.api && state.config.self_hosted?.account_id === state.accountId && state.config.self_hosted?.version === state.version;
  items.push({ step: "config", kind: "arcrun config", name: state.configPath, action: configDone ? "unchanged" : state.config.self_hosted ? "update" : "create", detail: url ? `url ${url}` : undefined });
  return items;
}

export const changes = (plan: PlanItem[]) => plan.filter((i) => i.action !== "unchanged");

export interface StepResult {
  step: string;
  kind: string;
  name: string;
  status: Outcome;
  id?: string;
}

const outcome = (action: Action): Outcome => (action === "create" ? "created" : action === "update" ? "updated" : "unchanged");

/** Carries out the plan in order; progress (keys, ids, hashes) is saved in the config as it goes. */
export async function apply(client: CloudflareClient, state: InstallState, plan: PlanItem[], onStep: (result: StepResult) => void): Promise<{ url?: string }> {
  const { accountId } = state;
  const save = (change: (record: SelfHostedRecord, config: ArcrunConfig) => void) => {
    const loaded = updateConfig(state.env, (config) => {
      const record: SelfHostedRecord = { ...(config.self_hosted ?? {}), account_id: accountId, worker: WORKER_NAME };
      change(record, config);
      return { ...config, self_hosted: record };
    });
    state.config = loaded.config;
  };
  const done = (item: PlanItem, id?: string) => onStep({ step: item.step, kind: item.kind, name: item.name, status: outcome(item.action), ...(id ? { id } : {}) });

  for (const item of plan) {
    if (item.step.startsWith("kv:")) {
      const binding = item.step.slice(3) as keyof typeof KV_NAMESPACES;
      const create = !state.kv[binding];
      if (create) state.kv[binding] = (await cf.createKv(client, accountId, KV_NAMESPACES[binding])).id;
      save((r) => {
        r.resources = { ...r.resources, [binding]: state.kv[binding]! };
        if (create) r.created = [...new Set([...(r.created ?? []), item.step])];
      });
      done(item, state.kv[binding]);
    } else if (item.step.startsWith("d1:")) {
      const create = !state.d1;
      if (create) state.d1 = (await cf.createD1(client, accountId, D1_DATABASE.name)).uuid;
      save((r) => {
        r.resources = { ...r.resources, [D1_DATABASE.binding]: state.d1! };
        if (create) r.created = [...new Set([...(r.created ?? []), item.step])];
      });
      done(item, state.d1);
    } else if (item.step === "migrations") {
      await applyMigrations(client, state);
      done(item);
    } else if (item.step.startsWith("r2:")) {
      if (!state.r2) {
        await cf.createR2(client, accountId, R2_BUCKET.name);
        save((r) => (r.created = [...new Set([...(r.created ?? []), item.step])]));
      }
      state.r2 = true;
      done(item);
    } else if (item.step === "key:encryption") {
      // saved before any Worker holds it: a run cut off later keeps the same key
      if (state.keys.encryptionSource === "new") save((_, config) => (config.encryption_key = state.keys.encryption));
      done(item);
    } else if (item.step === "key:api") {
      if (state.keys.apiSource === "new") save((r) => (r.api_key = state.keys.api));
      done(item);
    } else if (item.step === "worker") {
      const planned = upload(state)!;
      if (item.action !== "unchanged") {
        if (!state.scriptExists) save((r) => (r.created = [...new Set([...(r.created ?? []), item.step])]));
        await cf.uploadScript(client, accountId, WORKER_NAME, planned.metadata, state.modules);
        state.scriptExists = true;
      }
      save((r) => (r.worker_hash = planned.hash));
      done(item);
    } else if (item.step === "secrets") {
      for (const name of SECRETS) {
        if (secretCurrent(state, name)) continue;
        const value = secretValue(state, name);
        await cf.putSecret(client, accountId, WORKER_NAME, name, value);
        state.secretsPresent.add(name);
        save((r) => (r.secrets = { ...r.secrets, [name]: secretFingerprint(name, value) }));
      }
      done(item);
    } else if (item.step === "cron") {
      if (item.action !== "unchanged") await cf.putSchedules(client, accountId, WORKER_NAME, [CRON]);
      done(item);
    } else if (item.step === "workers.dev") {
      if (!state.workersDevEnabled) await cf.enableScriptSubdomain(client, accountId, WORKER_NAME);
      state.workersDevEnabled = true;
      done(item);
    } else if (item.step === "config") {
      const url = workerUrl(state);
      save((r, config) => {
        r.version = state.version;
        r.url = url;
        r.deployed_at = new Date().toISOString();
        if (url) {
          config.mode = "standard";
          config.url = url;
          config.api_key = state.keys.api;
        }
      });
      done(item);
    } else done(item);
  }
  return { url: workerUrl(state) };
}

/** The executor's migrations, with the bookkeeping of its own migrator (wrangler's d1_migrations table). */
async function applyMigrations(client: CloudflareClient, state: InstallState): Promise<void> {
  const uuid = state.d1!;
  await cf.queryD1(client, state.accountId, uuid, "CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
  for (const migration of state.migrations) {
    if (state.appliedMigrations.has(migration.name)) continue;
    // one request = one batch: the schema change and its bookkeeping land together
    const sql = `${migration.sql.trim().replace(/;?\s*$/, ";")}\nINSERT OR IGNORE INTO d1_migrations (name) VALUES ('${migration.name.replace(/'/g, "''")}');`;
    await cf.queryD1(client, state.accountId, uuid, sql);
    state.appliedMigrations.add(migration.name);
  }
}
