/**
 * `acr creds rotate-key`: re-seal every credential under a new key so that an interruption at
 * any point leaves every credential usable and the next run of the command finishes the job.
 *
 * The local config moves through three states, each written atomically before the step it
 * enables (see config.ts):
 *   S0 {encryption_key: K}                                  nothing under way
 *   S1 {encryption_key: K, encryption_key_next: N}          staging: the executor keeps `cred:*`
 *      under K and receives `cred-next:*` re-sealed under N (pushes are refused meanwhile)
 *   S2 {encryption_key: N, encryption_key_previous: K}      flipped: waiting for the executor to
 *      run with N (it reads `cred-next:*` when `cred:*` is under the other key), then commit:
 *      the executor promotes `cred-next:*` over `cred:*` and drops the marker
 * and back to S0 with N. The executor learns N from its own configuration: the local launcher
 * reloads it from this config file (ARCRUN_ENCRYPTION_KEY unset); on Cloudflare,
 * `wrangler secret put ARCRUN_ENCRYPTION_KEY`. Commit is refused until the executor reports
 * N's id, so records are never promoted to a key the executor does not hold.
 */
import { decryptCredential, encryptCredential, fingerprintCredential } from "@arcrun/core/crypto/credential";
import { generateEncryptionKey, parseEncryptionKey, type EncryptionKey } from "@arcrun/core/crypto/key";
import type { CredentialList } from "@arcrun/core/credentials/api";
import { readConfig, writeConfig, type ArcrunConfig, type LoadedConfig } from "../config";
import { CliError, EXIT } from "../exit";
import { cliErrors } from "./errors";
import type { CredentialsApi } from "./remote";

export interface RotateDeps {
  api: CredentialsApi;
  env: Record<string, string | undefined>;
  url: string;
  note(line: string): void;
  /** waits until the executor reports `kid` (or gives up); true when it does */
  waitForExecutorKey(kid: string): Promise<boolean>;
}

export type RotateOutcome =
  | { status: "rotated"; key_id: string; rotated: string[]; skipped: string[] }
  | { status: "waiting"; key_id: string; staged: string[] }
  | { status: "aborted"; key_id: string };

export async function rotateKey(deps: RotateDeps): Promise<RotateOutcome> {
  let loaded = configForRotation(deps.env);
  let remote = await deps.api.list();

  // S0 → S1: choose N and save it before anything is re-sealed with it
  if (!loaded.config.encryption_key_next && !loaded.config.encryption_key_previous) {
    const current = await keyOf(loaded.config.encryption_key!, loaded.path);
    if (remote.rotation) throw foreignRotation(remote, deps.url);
    requireExecutorKey(remote, current, deps.url, "your key");
    loaded = save(loaded, { ...loaded.config, encryption_key_next: generateEncryptionKey() });
    deps.note(`new key saved in ${loaded.path} (pending until the rotation finishes)`);
  }

  let skipped: string[] = [];
  let staged: string[] = [];
  // S1: stage every record under N, then flip the local config
  if (loaded.config.encryption_key_next) {
    const from = await keyOf(loaded.config.encryption_key!, loaded.path);
    const to = await keyOf(loaded.config.encryption_key_next, loaded.path);
    if (remote.rotation && remote.rotation.to_kid !== to.id) throw foreignRotation(remote, deps.url);
    requireExecutorKey(remote, from, deps.url, "your current key");
    ({ staged, skipped } = await stage(deps, from, to));
    loaded = save(loaded, { ...without(loaded.config, "encryption_key_next"), encryption_key: loaded.config.encryption_key_next, encryption_key_previous: loaded.config.encryption_key });
    remote = await deps.api.list();
  }

  // S2: commit once the executor runs with N
  const to = await keyOf(loaded.config.encryption_key!, loaded.path);
  const from = await keyOf(loaded.config.encryption_key_previous!, loaded.path);
  if (!remote.rotation && remote.key_id === to.id) {
    // committed by an earlier run that stopped before cleaning up the config
    save(loaded, without(loaded.config, "encryption_key_previous"));
    return { status: "rotated", key_id: to.id, rotated: [], skipped };
  }
  if (!remote.rotation || remote.rotation.to_kid !== to.id) throw foreignRotation(remote, deps.url);
  if (remote.key_id !== to.id) {
    if (remote.key_id !== from.id) requireExecutorKey(remote, to, deps.url, "the new key");
    deps.note(`every credential is staged under the new key ${to.id}; waiting for the executor to load it…`);
    if (!(await deps.waitForExecutorKey(to.id))) return { status: "waiting", key_id: to.id, staged };
  }
  const committed = await deps.api.commitRotation(to.id);
  save(loaded, without(loaded.config, "encryption_key_previous"));
  return { status: "rotated", key_id: committed.key_id, rotated: committed.promoted, skipped };
}

/** Undo a rotation whose new key the executor does not use yet: staged records and the marker go, K stays. */
export async function abortRotation(deps: Pick<RotateDeps, "api" | "env" | "url">): Promise<RotateOutcome> {
  const loaded = configForRotation(deps.env);
  const remote = await deps.api.list();
  const original = loaded.config.encryption_key_previous ?? loaded.config.encryption_key!;
  const originalKey = await keyOf(original, loaded.path);
  if (remote.key_id !== originalKey.id) {
    throw new CliError(`the executor already uses the new key (id ${remote.key_id}); the rotation can only be finished now`, {
      code: "rotation_not_abortable",
      hint: "run `acr creds rotate-key` to finish it",
    });
  }
  if (remote.rotation) await deps.api.abortRotation();
  save(loaded, { ...without(without(loaded.config, "encryption_key_next"), "encryption_key_previous"), encryption_key: original });
  return { status: "aborted", key_id: originalKey.id };
}

async function stage(deps: RotateDeps, from: EncryptionKey, to: EncryptionKey): Promise<{ staged: string[]; skipped: string[] }> {
  const started = await deps.api.startRotation(from.id, to.id);
  const staged: string[] = [];
  const skipped: string[] = [];
  for (const { name, record, staged: already } of started.records) {
    if (already || record.kid === to.id) {
      staged.push(name);
      continue;
    }
    if (record.kid !== from.id) {
      // sealed by some third key: it did not decrypt before and cannot be re-sealed now
      skipped.push(name);
      deps.note(`skipped ${name}: it was sealed with key ${record.kid}, which is neither the old nor the new key; push it again`);
      continue;
    }
    const value = await cliErrors(() => decryptCredential(from, name, record));
    const sealed = await encryptCredential(to, name, value);
    const fingerprint = await fingerprintCredential(to, name, value);
    await deps.api.putStaged(name, { ...sealed, fingerprint, ...(record.description ? { description: record.description } : {}) });
    staged.push(name);
  }
  return { staged, skipped };
}

function configForRotation(env: Record<string, string | undefined>): LoadedConfig {
  if (env.ARCRUN_ENCRYPTION_KEY) {
    throw new CliError("rotate-key works on the key in the arcrun config, but ARCRUN_ENCRYPTION_KEY is set", {
      code: "rotation_needs_config",
      hint: "store the key in the config with `acr init --force --key \"$ARCRUN_ENCRYPTION_KEY\"`, unset ARCRUN_ENCRYPTION_KEY, and run rotate-key again",
    });
  }
  const loaded = readConfig(env);
  if (!loaded.config.encryption_key) {
    throw new CliError(`${loaded.path} has no encryption key to rotate`, { exitCode: EXIT.usage, code: "encryption_key_missing", hint: "run `acr init` first" });
  }
  return loaded;
}

function requireExecutorKey(remote: CredentialList, expected: EncryptionKey, url: string, what: string): void {
  if (remote.key_id === expected.id) return;
  throw new CliError(`the executor at ${url} uses key ${remote.key_id ?? "(none)"}, not ${what} (${expected.id})`, {
    code: "encryption_key_mismatch",
    hint: "rotate-key must start from the key the executor uses: point --url at the right executor, or fix its ARCRUN_ENCRYPTION_KEY. Nothing was changed.",
  });
}

function foreignRotation(remote: CredentialList, url: string): CliError {
  return new CliError(`the executor at ${url} has a rotation to key ${remote.rotation?.to_kid} under way that does not match this machine's config`, {
    code: "rotation_conflict",
    hint: "finish it from the machine that started it, or undo it there with `acr creds rotate-key --abort`",
  });
}

async function keyOf(text: string, path: string): Promise<EncryptionKey> {
  return cliErrors(() => parseEncryptionKey(text, { source: path }));
}

function save(loaded: LoadedConfig, config: ArcrunConfig): LoadedConfig {
  writeConfig(loaded.path, config);
  return { ...loaded, config };
}

function without(config: ArcrunConfig, field: keyof ArcrunConfig): ArcrunConfig {
  const copy = { ...config };
  delete copy[field];
  return copy;
}
