/**
 * Tenants and their API keys in KV `ACCOUNTS_KV`:
 *   tenant:{tenant_id}              → TenantRecord (token and data key sealed, seal.ts)
 *   key:{sha256(api_key)}           → {tenant_id, key_id}           (the key itself is never stored)
 *   tenant_key:{tenant_id}:{key_id} → {key_id, hash, created_at, last_used_at}
 *   rate:{ip}:{hour}                → registrations counted (rate-limit.ts)
 * An API key is `arc_` + 256 random bits (base64url); its SHA-256 is enough of a hash for a key
 * that long (nothing to brute-force), and lets a look-up be one read.
 */
import { bytesToBase64Url, bytesToHex, sha256Hex } from "@arcrun/core/crypto/index";
import { type KeySummary } from "@arcrun/core/tenants/index";
import type { Sealed } from "./seal";

export interface TenantRecord {
  tenant_id: string;
  email: string;
  account_id: string;
  kv_namespace_id: string;
  /** the tenant's read-only Cloudflare KV token, sealed */
  token: Sealed;
  /** the tenant's credential key, sealed */
  data_key: Sealed;
  created_at: string;
}

interface KeyPointer {
  tenant_id: string;
  key_id: string;
}

interface KeyRecord {
  key_id: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
}

/** last_used_at is written at most once a minute per key (a KV write per call would be too many). */
const LAST_USED_GRANULARITY_MS = 60_000;

export const newTenantId = () => `t_${bytesToHex(crypto.getRandomValues(new Uint8Array(10)))}`;
const newKeyId = () => `k_${bytesToHex(crypto.getRandomValues(new Uint8Array(8)))}`;
const newApiKey = () => `arc_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;

export class AccountStore {
  constructor(private readonly kv: KVNamespace, private readonly now: () => number = Date.now) {}

  async tenant(tenantId: string): Promise<TenantRecord | undefined> {
    return (await this.kv.get<TenantRecord>(`tenant:${tenantId}`, "json")) ?? undefined;
  }

  async putTenant(record: TenantRecord): Promise<void> {
    await this.kv.put(`tenant:${record.tenant_id}`, JSON.stringify(record));
  }

  /** A fresh key for the tenant: the key is returned once, only its hash is kept. */
  async createKey(tenantId: string): Promise<{ key_id: string; api_key: string; created_at: string }> {
    const api_key = newApiKey();
    const key_id = newKeyId();
    const hash = await sha256Hex(api_key);
    const created_at = new Date(this.now()).toISOString();
    await this.kv.put(`key:${hash}`, JSON.stringify({ tenant_id: tenantId, key_id } satisfies KeyPointer));
    await this.kv.put(`tenant_key:${tenantId}:${key_id}`, JSON.stringify({ key_id, hash, created_at, last_used_at: null } satisfies KeyRecord));
    return { key_id, api_key, created_at };
  }

  /** The tenant and key id an API key belongs to; undefined for an unknown or revoked key or a deleted tenant. */
  async byKey(apiKey: string): Promise<{ tenant: TenantRecord; keyId: string } | undefined> {
    if (!apiKey.startsWith("arc_") || apiKey.length > 200) return undefined;
    const hash = await sha256Hex(apiKey);
    const pointer = await this.kv.get<KeyPointer>(`key:${hash}`, "json");
    if (!pointer) return undefined;
    const tenant = await this.tenant(pointer.tenant_id);
    if (!tenant) return undefined;
    await this.touch(pointer.tenant_id, pointer.key_id);
    return { tenant, keyId: pointer.key_id };
  }

  private async touch(tenantId: string, keyId: string): Promise<void> {
    const name = `tenant_key:${tenantId}:${keyId}`;
    const record = await this.kv.get<KeyRecord>(name, "json");
    if (!record) return;
    const now = this.now();
    if (record.last_used_at && now - Date.parse(record.last_used_at) < LAST_USED_GRANULARITY_MS) return;
    await this.kv.put(name, JSON.stringify({ ...record, last_used_at: new Date(now).toISOString() }));
  }

  async keys(tenantId: string): Promise<KeySummary[]> {
    const records = await Promise.all((await this.keyNames(tenantId)).map((name) => this.kv.get<KeyRecord>(name, "json")));
    return records
      .filter((r): r is KeyRecord => r !== null)
      .map(({ key_id, created_at, last_used_at }) => ({ key_id, created_at, last_used_at }))
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.key_id.localeCompare(b.key_id));
  }

  /** Revokes one key; false when the tenant has no key with that id. */
  async revoke(tenantId: string, keyId: string): Promise<boolean> {
    const name = `tenant_key:${tenantId}:${keyId}`;
    const record = await this.kv.get<KeyRecord>(name, "json");
    if (!record) return false;
    await this.kv.delete(`key:${record.hash}`);
    await this.kv.delete(name);
    return true;
  }

  /** The tenant record first (every key stops resolving at once), then each key. */
  async deleteTenant(tenantId: string): Promise<void> {
    await this.kv.delete(`tenant:${tenantId}`);
    for (const name of await this.keyNames(tenantId)) {
      const record = await this.kv.get<KeyRecord>(name, "json");
      if (record) await this.kv.delete(`key:${record.hash}`);
      await this.kv.delete(name);
    }
  }

  private async keyNames(tenantId: string): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix: `tenant_key:${tenantId}:`, cursor });
      names.push(...page.keys.map((k) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return names;
  }
}
