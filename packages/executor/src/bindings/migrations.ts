/**
 * Versioned D1 migrations, applied lazily by the Worker before its first query, so a fresh
 * database works the same on Cloudflare and in local workerd with no extra command.
 * Bookkeeping uses wrangler's own `d1_migrations` table and file names, so
 * `wrangler d1 migrations apply ARCRUN_DB` and this code agree on what is applied.
 *
 * To add a migration: write `migrations/000N_name.sql` and add it to MIGRATIONS below
 * (a test checks the two agree). Statements are split at `;` ending a line; no triggers.
 */
import m0001 from "../../migrations/0001_runs.sql";
import m0002 from "../../migrations/0002_rerun_of.sql";

export const MIGRATIONS: { name: string; sql: string }[] = [
  { name: "0001_runs.sql", sql: m0001 },
  { name: "0002_rerun_of.sql", sql: m0002 },
];

const TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** One check per isolate and database; a failure is retried on the next request. */
const ready = new WeakMap<D1Database, Promise<void>>();

export function ensureMigrated(db: D1Database): Promise<void> {
  let pending = ready.get(db);
  if (!pending) {
    pending = applyMigrations(db).catch((err) => {
      ready.delete(db);
      throw err;
    });
    ready.set(db, pending);
  }
  return pending;
}

async function applyMigrations(db: D1Database): Promise<void> {
  await db.prepare(TABLE).run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
  const applied = new Set(results.map((r) => r.name));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.name)) continue;
    // One batch = one transaction: the schema change and its bookkeeping land together.
    await db.batch([
      ...splitStatements(migration.sql).map((sql) => db.prepare(sql)),
      db.prepare("INSERT OR IGNORE INTO d1_migrations (name) VALUES (?)").bind(migration.name),
    ]);
  }
}

export function splitStatements(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
