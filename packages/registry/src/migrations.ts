/**
 * REGISTRY_DB's migrations, applied lazily by the executor's D1 migrator (wrangler's
 * `d1_migrations` bookkeeping, so `wrangler d1 migrations apply REGISTRY_DB` agrees).
 * To add one: migrations/000N_name.sql + MIGRATIONS.
 */
import { d1Migrator, type Migration } from "@arcrun/executor/bindings/d1-migrator";
import m0001 from "../migrations/0001_registry.sql";

export const MIGRATIONS: Migration[] = [{ name: "0001_registry.sql", sql: m0001 }];

export const ensureMigrated = d1Migrator(MIGRATIONS);
