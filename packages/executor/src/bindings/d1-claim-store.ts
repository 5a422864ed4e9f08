/**
 * ClaimStore over D1 `ARCRUN_DB` (`claims` table, migration 0002): one batch (one transaction)
 * drops an expired row for the key, inserts `key → runId` with ON CONFLICT DO NOTHING, and reads
 * the row that won. Concurrent claims of one key, from any isolate, see the same winner.
 */
import type { Claim, ClaimStore } from "@arcrun/core";
import { ensureMigrated } from "./migrations";

export class D1ClaimStore implements ClaimStore {
  private readonly now: () => number;

  constructor(private readonly db: D1Database, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  async claim(key: string, runId: string, ttlSeconds: number): Promise<Claim> {
    await ensureMigrated(this.db);
    const now = this.now();
    const [, , winner] = await this.db.batch([
      this.db.prepare("DELETE FROM claims WHERE key = ?1 AND expires_at <= ?2").bind(key, now),
      this.db.prepare("INSERT INTO claims (key, run_id, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO NOTHING").bind(key, runId, now + ttlSeconds * 1000),
      this.db.prepare("SELECT run_id FROM claims WHERE key = ?1").bind(key),
    ]);
    const held = (winner.results[0] as { run_id: string } | undefined)?.run_id;
    if (held === undefined || held === runId) return { claimed: true };
    return { claimed: false, runId: held };
  }

  async release(key: string, runId: string): Promise<void> {
    await ensureMigrated(this.db);
    await this.db.prepare("DELETE FROM claims WHERE key = ?1 AND run_id = ?2").bind(key, runId).run();
  }

  /** Drops expired claims (the scheduled handler's housekeeping); returns how many. */
  async sweep(): Promise<number> {
    await ensureMigrated(this.db);
    const { meta } = await this.db.prepare("DELETE FROM claims WHERE expires_at <= ?1").bind(this.now()).run();
    return meta.changes ?? 0;
  }
}
