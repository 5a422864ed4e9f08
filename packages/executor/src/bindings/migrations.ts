/**
 * ARCRUN_DB's migrations, applied lazily by d1-migrator.ts (wrangler's bookkeeping).
 * To add a migration: write `migrations/000N_name.sql` and add it to MIGRATIONS below
 * (deploy-config.test.ts checks the two agree).
 */
import { d1Migrator, type Migration } from "./d1-migrator";
import m0001 from "../../migrations/0001_runs.sql";
import m0002 from "../../migrations/0002_run_nodes.sql";
import m0003 from "../../migrations/0003_triggers.sql";
import m0004 from "../../migrations/0004_rerun_of.sql";
import m0005 from "../../migrations/0005_durable.sql";
import m0006 from "../../migrations/0006_tenants.sql";
import m0007 from "../../migrations/0007_fewer_run_indexes.sql";

export const MIGRATIONS: Migration[] = [
  { name: "0001_runs.sql", sql: m0001 },
  { name: "0002_run_nodes.sql", sql: m0002 },
  { name: "0003_triggers.sql", sql: m0003 },
  { name: "0004_rerun_of.sql", sql: m0004 },
  { name: "0005_durable.sql", sql: m0005 },
  { name: "0006_tenants.sql", sql: m0006 },
  { name: "0007_fewer_run_indexes.sql", sql: m0007 },
];

export const ensureMigrated = d1Migrator(MIGRATIONS);
