/**
 * Versioned D1 migrations of REGISTRY_DB, applied lazily before the first query (the same scheme
 * as the executor's bindings/migrations.ts: wrangler's `d1_migrations` table and file names, so
 * `wrangler d1 migrations apply REGISTRY_DB` agrees). To add one: migrations/000N_name.sql + MIGRATIONS.
 */
import m0001 from "../migrations/0001_registry.sql";

export const MIGRATIONS: { name: string; sql: string }[] = [{ name: "0001_registry.sql", sql: m0001 }];

const TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

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
