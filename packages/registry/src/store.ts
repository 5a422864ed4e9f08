/**
 * The catalog in D1 (REGISTRY_DB) and R2 (REGISTRY_BUCKET). R2 keys carry the module's sha256
 * (`modules/<name>/<version>/<sha256>.wasm`, the same for `.contract.json` and `.features.json`),
 * so two submissions racing for one version never overwrite each other's objects: the D1 insert
 * decides, and the loser's objects are removed.
 */
import type { Contract } from "@arcrun/core";
import type { AcceptanceReport, ComponentSummary, Submission, UsageRecord, UsageStats } from "@arcrun/core/registry/api";
import { compareSemver } from "@arcrun/core/registry/semver";
import type { Caller } from "./auth";
import { ensureMigrated } from "./migrations";

/** Days of per-day counters kept. */
export const STATS_DAYS = 30;

export interface VersionRow {
  name: string;
  version: string;
  author: string;
  visibility: "author_only" | "public" | "withdrawn";
  description: string;
  category: string | null;
  sha256: string;
  bytes: number;
  submission_id: string;
  published_at: string;
}

interface SubmissionRow {
  id: string;
  name: string;
  version: string;
  author: string;
  status: Submission["status"];
  sha256: string;
  bytes: number;
  report: string;
  reason: string | null;
  submitted_at: string;
  decided_at: string | null;
}

interface StatsRow {
  runs: number;
  successes: number;
  duration_ms_total: number;
}

export const objectKeys = (name: string, version: string, sha256: string) => {
  const base = `modules/${name}/${version}/${sha256}`;
  return { module: `${base}.wasm`, contract: `${base}.contract.json`, features: `${base}.features.json` };
};

/** Whether `caller` may see a version: public ones, and an author's own accepted ones (the admin sees every one not withdrawn). */
export function visibleTo(row: Pick<VersionRow, "visibility" | "author">, caller: Caller | undefined): boolean {
  if (row.visibility === "public") return true;
  if (row.visibility !== "author_only" || !caller) return false;
  return caller.admin || caller.author === row.author;
}

export class Catalog {
  constructor(
    private readonly db: D1Database,
    private readonly bucket: R2Bucket,
  ) {}

  private ready = () => ensureMigrated(this.db);

  async owner(name: string): Promise<string | undefined> {
    await this.ready();
    return (await this.db.prepare("SELECT author FROM components WHERE name = ?").bind(name).first<{ author: string }>())?.author;
  }

  async versions(name: string): Promise<VersionRow[]> {
    await this.ready();
    const { results } = await this.db.prepare("SELECT * FROM versions WHERE name = ?").bind(name).all<VersionRow>();
    return results.sort((a, b) => compareSemver(b.version, a.version));
  }

  async version(name: string, version: string): Promise<VersionRow | undefined> {
    await this.ready();
    return (await this.db.prepare("SELECT * FROM versions WHERE name = ? AND version = ?").bind(name, version).first<VersionRow>()) ?? undefined;
  }

  /**
   * Stores an accepted submission: the three objects first, then every row in one D1 batch (one
   * transaction). A version stored meanwhile by another submission fails the batch on its
   * primary key; then this submission's objects are removed and `false` is returned.
   */
  async storeAccepted(input: { id: string; author: string; contract: Contract; bytes: Uint8Array; sha256: string; features: { path: string; text: string }[]; report: AcceptanceReport; now: string }): Promise<boolean> {
    await this.ready();
    const { contract, sha256 } = input;
    const keys = objectKeys(contract.name, contract.version, sha256);
    await Promise.all([
      this.bucket.put(keys.module, input.bytes),
      this.bucket.put(keys.contract, JSON.stringify(contract)),
      this.bucket.put(keys.features, JSON.stringify(input.features)),
    ]);
    try {
      await this.db.batch([
        this.db.prepare("INSERT OR IGNORE INTO components (name, author, created_at) VALUES (?, ?, ?)").bind(contract.name, input.author, input.now),
        this.db
          .prepare("INSERT INTO versions (name, version, author, visibility, description, category, sha256, bytes, submission_id, published_at) VALUES (?, ?, ?, 'author_only', ?, ?, ?, ?, ?, ?)")
          .bind(contract.name, contract.version, input.author, contract.description, contract.category ?? null, sha256, input.bytes.length, input.id, input.now),
        this.db
          .prepare("INSERT INTO submissions (id, name, version, author, status, sha256, bytes, report, submitted_at) VALUES (?, ?, ?, ?, 'accepted', ?, ?, ?, ?)")
          .bind(input.id, contract.name, contract.version, input.author, sha256, input.bytes.length, JSON.stringify(input.report), input.now),
      ]);
      return true;
    } catch (error) {
      if (!/UNIQUE|PRIMARY KEY|constraint/i.test((error as Error)?.message ?? "")) throw error;
      await this.bucket.delete([keys.module, keys.contract, keys.features]);
      return false;
    }
  }

  async submission(id: string): Promise<(Submission & { visibility: VersionRow["visibility"] }) | undefined> {
    await this.ready();
    const row = await this.db
      .prepare("SELECT s.*, v.visibility AS visibility FROM submissions s JOIN versions v ON v.name = s.name AND v.version = s.version WHERE s.id = ?")
      .bind(id)
      .first<SubmissionRow & { visibility: VersionRow["visibility"] }>();
    if (!row) return undefined;
    return { ...row, report: JSON.parse(row.report) as AcceptanceReport };
  }

  /** accepted → approved (the version becomes public) or rejected (withdrawn); false when it was no longer `accepted`. */
  async decide(id: string, decision: "approved" | "rejected", reason: string | null, now: string): Promise<boolean> {
    await this.ready();
    const visibility = decision === "approved" ? "public" : "withdrawn";
    const [updated] = await this.db.batch([
      this.db.prepare("UPDATE submissions SET status = ?, reason = ?, decided_at = ? WHERE id = ? AND status = 'accepted'").bind(decision, reason, now, id),
      this.db.prepare("UPDATE versions SET visibility = ? WHERE submission_id = ? AND EXISTS (SELECT 1 FROM submissions WHERE id = ? AND status = ? AND decided_at = ?)").bind(visibility, id, id, decision, now),
    ]);
    return (updated.meta.changes ?? 0) > 0;
  }

  async object(key: string): Promise<R2ObjectBody | undefined> {
    return (await this.bucket.get(key)) ?? undefined;
  }

  /** Every visible version, summarised per component at its newest visible version, with the totals of its visible versions. */
  async list(caller: Caller | undefined): Promise<ComponentSummary[]> {
    await this.ready();
    const { results } = await this.db
      .prepare(
        "SELECT v.*, COALESCE(s.runs, 0) AS runs, COALESCE(s.successes, 0) AS successes, COALESCE(s.duration_ms_total, 0) AS duration_ms_total FROM versions v LEFT JOIN version_stats s ON s.name = v.name AND s.version = v.version WHERE v.visibility != 'withdrawn'",
      )
      .all<VersionRow & StatsRow>();
    const byName = new Map<string, (VersionRow & StatsRow)[]>();
    for (const row of results) if (visibleTo(row, caller)) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
    return [...byName.values()]
      .map((rows) => {
        const latest = rows.sort((a, b) => compareSemver(b.version, a.version))[0];
        const total = rows.reduce((t, r) => ({ runs: t.runs + r.runs, successes: t.successes + r.successes, duration_ms_total: t.duration_ms_total + r.duration_ms_total }), { runs: 0, successes: 0, duration_ms_total: 0 });
        return {
          name: latest.name,
          latest_version: latest.version,
          author: latest.author,
          category: latest.category,
          description: latest.description,
          bytes: latest.bytes,
          visibility: latest.visibility,
          ...usage(total),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async stats(name: string, version: string): Promise<UsageStats & { days: (UsageStats & { day: string })[] }> {
    await this.ready();
    const total = await this.db.prepare("SELECT runs, successes, duration_ms_total FROM version_stats WHERE name = ? AND version = ?").bind(name, version).first<StatsRow>();
    const { results } = await this.db
      .prepare("SELECT day, runs, successes, duration_ms_total FROM daily_stats WHERE name = ? AND version = ? AND day >= ? ORDER BY day")
      .bind(name, version, dayOf(Date.now() - (STATS_DAYS - 1) * 86_400_000))
      .all<StatsRow & { day: string }>();
    return { ...usage(total ?? { runs: 0, successes: 0, duration_ms_total: 0 }), days: results.map((r) => ({ day: r.day, ...usage(r) })) };
  }

  /**
   * Adds the records to the counters: the records of one component version are summed first,
   * then added in one statement per table (`runs = runs + excluded.runs`, never read-modify-write),
   * all in one batch. A record naming no stored version (or a withdrawn one) inserts no row: it is dropped.
   */
  async record(records: UsageRecord[], now: number): Promise<{ recorded: number; dropped: number }> {
    await this.ready();
    const groups = new Map<string, { name: string; version: string } & StatsRow>();
    for (const r of records) {
      const key = JSON.stringify([r.component, r.version]);
      const g = groups.get(key) ?? { name: r.component, version: r.version, runs: 0, successes: 0, duration_ms_total: 0 };
      g.runs += 1;
      g.successes += r.success ? 1 : 0;
      g.duration_ms_total += r.duration_ms;
      groups.set(key, g);
    }
    const day = dayOf(now);
    const known = "FROM versions WHERE name = ? AND version = ? AND visibility != 'withdrawn'";
    const add = "runs = runs + excluded.runs, successes = successes + excluded.successes, duration_ms_total = duration_ms_total + excluded.duration_ms_total";
    const list = [...groups.values()];
    const statements = list.flatMap((g) => [
      this.db.prepare(`INSERT INTO version_stats (name, version, runs, successes, duration_ms_total) SELECT name, version, ?, ?, ? ${known} ON CONFLICT (name, version) DO UPDATE SET ${add}`).bind(g.runs, g.successes, g.duration_ms_total, g.name, g.version),
      this.db.prepare(`INSERT INTO daily_stats (name, version, day, runs, successes, duration_ms_total) SELECT name, version, ?, ?, ?, ? ${known} ON CONFLICT (name, version, day) DO UPDATE SET ${add}`).bind(day, g.runs, g.successes, g.duration_ms_total, g.name, g.version),
    ]);
    statements.push(this.db.prepare("DELETE FROM daily_stats WHERE day < ?").bind(dayOf(now - (STATS_DAYS - 1) * 86_400_000)));
    const results = await this.db.batch(statements);
    let recorded = 0;
    list.forEach((g, i) => {
      if ((results[i * 2].meta.changes ?? 0) > 0) recorded += g.runs;
    });
    return { recorded, dropped: records.length - recorded };
  }
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function usage(row: StatsRow): UsageStats {
  return {
    total_runs: row.runs,
    success_rate: row.runs > 0 ? row.successes / row.runs : null,
    avg_duration_ms: row.runs > 0 ? Math.round((row.duration_ms_total / row.runs) * 100) / 100 : null,
  };
}
