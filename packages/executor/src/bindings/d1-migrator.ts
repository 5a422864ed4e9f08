/**
 * Versioned D1 migrations, applied lazily by a Worker before its first query, so a fresh
 * database works the same on Cloudflare and in local workerd with no extra command.
 * Bookkeeping uses wrangler's own `d1_migrations` table and file names, so
 * `wrangler d1 migrations apply <BINDING>` and this code agree on what is applied.
 * Shared by the executor (ARCRUN_DB) and the registry (REGISTRY_DB).
 * Statements are split at `;` ending a line; no triggers.
 */
export interface Migration {
  name: string;
  sql: string;
}

const TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** `ensureMigrated(db)` for this list: one check per isolate and database; a failure is retried on the next request. */
export function d1Migrator(migrations: Migration[]): (db: D1Database) => Promise<void> {
  const ready = new WeakMap<D1Database, Promise<void>>();
  return (db) => {
    let pending = ready.get(db);
    if (!pending) {
      pending = applyMigrations(db, migrations).catch((err) => {
        ready.delete(db);
        throw err;
      });
      ready.set(db, pending);
    }
    return pending;
  };
}

async function applyMigrations(db: D1Database, migrations: Migration[]): Promise<void> {
  await db.prepare(TABLE).run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
  const applied = new Set(results.map((r) => r.name));
  for (const migration of migrations) {
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
