/**
 * The executor's side of credentials, over a plain key-value port (CREDENTIALS_KV on
 * Cloudflare and in workerd): store sealed records, list names, delete, and the three steps
 * of a key rotation (stage → the executor loads the new key → commit). It never sees a
 * plaintext value: uploads are sealed on the user's machine and compared by keyed fingerprint.
 *
 * Keys: `cred:{name}` → StoredCredential, `cred-next:{name}` → the same re-sealed under the
 * next key while a rotation is under way, `credmeta:rotation` → Rotation.
 */
import { arcrunError } from "../errors";
import { closest } from "../errors";
import { checkCredentialName } from "../crypto/credential";
import type { z } from "../schema";
import type { KeyValueStore } from "../ports/key-value-store";
import {
  CREDENTIAL_PREFIX, CredentialUploadSchema, ROTATION_KEY, RotationSchema, RotationStartSchema, STAGED_CREDENTIAL_PREFIX, StoredCredentialSchema,
  type CredentialList, type PutResult, type Rotation, type RotationCommitResult, type RotationStartResult, type StoredCredential,
} from "./api";

export type { KeyValueStore } from "../ports/key-value-store";

export interface VaultOptions {
  /** id of the executor's own key (EncryptionKey.id), null when it has none */
  keyId: string | null;
  /** ISO timestamp (default: now) */
  now?: () => string;
}

export class CredentialVault {
  private readonly now: () => string;
  constructor(private readonly kv: KeyValueStore, private readonly options: VaultOptions) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  async list(): Promise<CredentialList> {
    const names = await this.names();
    const records = await Promise.all(names.map(async (name) => [name, await this.read(CREDENTIAL_PREFIX, name)] as const));
    return {
      credentials: records.flatMap(([name, r]) =>
        r ? [{ name, ...(r.description ? { description: r.description } : {}), created_at: r.created_at, updated_at: r.updated_at, kid: r.kid }] : []),
      key_id: this.options.keyId,
      rotation: await this.rotation(),
    };
  }

  /** Store an upload; "unchanged" when value (fingerprint) and description are the same, and then nothing is written. */
  async put(name: string, body: unknown): Promise<PutResult> {
    checkCredentialName(name);
    const upload = parse(CredentialUploadSchema, body, `credential "${name}"`);
    await this.refuseDuringRotation();
    this.requireKey(upload.kid, name);
    const existing = await this.read(CREDENTIAL_PREFIX, name);
    if (existing && existing.fingerprint === upload.fingerprint && existing.kid === upload.kid && (existing.description ?? "") === (upload.description ?? "")) {
      return { name, status: "unchanged", updated_at: existing.updated_at };
    }
    const now = this.now();
    const record: StoredCredential = { ...upload, created_at: existing?.created_at ?? now, updated_at: now };
    await this.kv.put(CREDENTIAL_PREFIX + name, JSON.stringify(record));
    return { name, status: existing ? "updated" : "created", updated_at: now };
  }

  async remove(name: string): Promise<void> {
    checkCredentialName(name);
    await this.refuseDuringRotation();
    if (!(await this.kv.get(CREDENTIAL_PREFIX + name))) throw await this.notFound(name);
    await this.kv.delete(CREDENTIAL_PREFIX + name);
  }

  /** The record the executor's key opens: `cred:{name}`, or its staged copy while a rotation is under way. */
  async sealed(name: string): Promise<StoredCredential | undefined> {
    const current = await this.read(CREDENTIAL_PREFIX, name);
    if (current && current.kid === this.options.keyId) return current;
    const staged = await this.read(STAGED_CREDENTIAL_PREFIX, name);
    if (staged && staged.kid === this.options.keyId) return staged;
    return current;
  }

  // ---- rotation ----

  /** Step 1: mark the rotation (idempotent) and hand out every sealed record to re-seal. */
  async startRotation(body: unknown): Promise<RotationStartResult> {
    const { from_kid, to_kid } = parse(RotationStartSchema, body, "rotation");
    if (from_kid === to_kid) throw arcrunError("rotation_invalid", "The new key is the same as the current key.", { hint: "Rotate to a freshly generated key: `acr creds rotate-key`." });
    if (this.options.keyId !== from_kid) {
      throw arcrunError("encryption_key_mismatch", `This executor uses key ${this.options.keyId ?? "(none)"}, not ${from_kid}: a rotation must start from the executor's key.`, { hint: "Use the executor's key in your arcrun config (or ARCRUN_ENCRYPTION_KEY) and run `acr creds rotate-key` again." });
    }
    let rotation = await this.rotation();
    if (rotation && rotation.to_kid !== to_kid) throw this.conflict(rotation);
    if (!rotation) {
      rotation = { from_kid, to_kid, started_at: this.now() };
      await this.kv.put(ROTATION_KEY, JSON.stringify(rotation));
    }
    const names = await this.names();
    const records = await Promise.all(names.map(async (name) => {
      const record = await this.read(CREDENTIAL_PREFIX, name);
      const staged = await this.read(STAGED_CREDENTIAL_PREFIX, name);
      return record ? [{ name, record, staged: staged?.kid === to_kid }] : [];
    }));
    return { rotation, records: records.flat() };
  }

  /** Step 1 (per record): a copy re-sealed under the next key, stored beside the current one. */
  async putStaged(name: string, body: unknown): Promise<void> {
    checkCredentialName(name);
    const upload = parse(CredentialUploadSchema, body, `credential "${name}"`);
    const rotation = await this.requireRotation();
    if (upload.kid !== rotation.to_kid) {
      throw arcrunError("encryption_key_mismatch", `The staged copy of "${name}" is sealed with key ${upload.kid}, but the rotation goes to ${rotation.to_kid}.`, { hint: "Run `acr creds rotate-key` from the machine that started the rotation." });
    }
    const current = await this.read(CREDENTIAL_PREFIX, name);
    if (!current) throw await this.notFound(name);
    const record: StoredCredential = { ...upload, created_at: current.created_at, updated_at: current.updated_at };
    await this.kv.put(STAGED_CREDENTIAL_PREFIX + name, JSON.stringify(record));
  }

  /**
   * Step 3, once the executor runs with the new key: every record under the old key must have
   * a staged copy (checked before anything moves); then each copy replaces its record and
   * the marker goes last, so an interrupted commit is finished by calling it again.
   */
  async commitRotation(body: unknown): Promise<RotationCommitResult> {
    const { to_kid } = parse(RotationSchema.pick({ to_kid: true }), body, "rotation commit");
    const rotation = await this.requireRotation();
    if (rotation.to_kid !== to_kid) throw this.conflict(rotation);
    if (this.options.keyId !== to_kid) {
      throw arcrunError("rotation_key_not_loaded", `This executor still uses key ${this.options.keyId ?? "(none)"}; it must run with the new key ${to_kid} before the rotation can be committed.`, {
        hint: "Give the executor the new key (`npm start` reads it from the arcrun config; on Cloudflare `wrangler secret put ARCRUN_ENCRYPTION_KEY`), then run `acr creds rotate-key` again.",
      });
    }
    const names = await this.names();
    const pairs = await Promise.all(names.map(async (name) => ({ name, current: await this.read(CREDENTIAL_PREFIX, name), staged: await this.read(STAGED_CREDENTIAL_PREFIX, name) })));
    const missing = pairs.filter((p) => p.current?.kid === rotation.from_kid && p.staged?.kid !== to_kid).map((p) => p.name);
    if (missing.length > 0) {
      throw arcrunError("rotation_incomplete", `${missing.length} credential(s) have no copy under the new key yet: ${missing.join(", ")}. Nothing was changed.`, { hint: "Run `acr creds rotate-key` again to stage them." });
    }
    const promoted: string[] = [];
    for (const { name, staged } of pairs) {
      if (staged?.kid !== to_kid) continue;
      await this.kv.put(CREDENTIAL_PREFIX + name, JSON.stringify(staged));
      await this.kv.delete(STAGED_CREDENTIAL_PREFIX + name);
      promoted.push(name);
    }
    await this.kv.delete(ROTATION_KEY);
    return { key_id: to_kid, promoted };
  }

  /** Undo a rotation the executor has not switched to: drop the staged copies, then the marker. */
  async abortRotation(): Promise<void> {
    const rotation = await this.rotation();
    if (!rotation) return;
    if (this.options.keyId !== rotation.from_kid) {
      throw arcrunError("rotation_not_abortable", `This executor already uses the new key ${this.options.keyId}; the rotation can only be finished.`, { hint: "Run `acr creds rotate-key` to commit it." });
    }
    for (const key of await this.kv.keys(STAGED_CREDENTIAL_PREFIX)) await this.kv.delete(key);
    await this.kv.delete(ROTATION_KEY);
  }

  async rotation(): Promise<Rotation | null> {
    const text = await this.kv.get(ROTATION_KEY);
    return text ? RotationSchema.parse(JSON.parse(text)) : null;
  }

  // ---- helpers ----

  private async names(): Promise<string[]> {
    return (await this.kv.keys(CREDENTIAL_PREFIX)).map((k) => k.slice(CREDENTIAL_PREFIX.length)).sort();
  }

  private async read(prefix: string, name: string): Promise<StoredCredential | undefined> {
    const text = await this.kv.get(prefix + name);
    if (text === null) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const parsed = StoredCredentialSchema.safeParse(data);
    if (!parsed.success) {
      throw arcrunError("credential_record_invalid", `Stored credential "${name}" is not a valid encrypted record.`, { hint: "Push it again with `acr creds push`, or remove it with `acr creds rm " + name + "`." });
    }
    return parsed.data;
  }

  private requireKey(kid: string, name: string): void {
    if (this.options.keyId === null) {
      throw arcrunError("executor_key_missing", "This executor has no encryption key (ARCRUN_ENCRYPTION_KEY), so it could never decrypt credentials.", {
        hint: "Set it: `npm start` takes it from ~/.arcrun/config.json (`acr init`); on Cloudflare `wrangler secret put ARCRUN_ENCRYPTION_KEY`.",
      });
    }
    if (kid !== this.options.keyId) {
      throw arcrunError("encryption_key_mismatch", `Credential "${name}" is sealed with key ${kid}, but this executor's key is ${this.options.keyId}; it would never decrypt here. Nothing was stored.`, {
        hint: "Seal it with the executor's key: the same ARCRUN_ENCRYPTION_KEY (or `encryption_key` in ~/.arcrun/config.json) on both sides.",
      });
    }
  }

  private async refuseDuringRotation(): Promise<void> {
    const rotation = await this.rotation();
    if (rotation) {
      throw arcrunError("rotation_in_progress", `A key rotation (to key ${rotation.to_kid}) is under way, so credentials cannot be changed now.`, { hint: "Finish it with `acr creds rotate-key`, or undo it with `acr creds rotate-key --abort`." });
    }
  }

  private async requireRotation(): Promise<Rotation> {
    const rotation = await this.rotation();
    if (!rotation) throw arcrunError("rotation_not_started", "No key rotation is under way.", { hint: "Start one with `acr creds rotate-key`." });
    return rotation;
  }

  private conflict(rotation: Rotation): Error {
    return arcrunError("rotation_conflict", `Another key rotation (to key ${rotation.to_kid}) is under way.`, { hint: "Finish it from the machine that started it, or undo it there with `acr creds rotate-key --abort`." });
  }

  private async notFound(name: string): Promise<Error> {
    const suggestion = closest(name, await this.names());
    return arcrunError("credential_not_found", `No credential named "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}.`, { hint: "`acr creds list` shows the stored names." });
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw arcrunError("credential_record_invalid", `The ${what} is not a valid request: ${issue.path.join(".") || "body"}: ${issue.message}.`, {
    hint: "Send what `acr creds push` sends: {v: 1, alg: \"AES-256-GCM\", kid, iv, encrypted, fingerprint, description?}. The executor never accepts plaintext.",
  });
}

/** kept here for existing callers; the in-memory twin lives with the other ports */
export { memoryKeyValueStore } from "../ports/memory/key-value-store";
