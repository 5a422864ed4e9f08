/**
 * RunStore over D1 `ARCRUN_DB`: one `runs` row per run, one `node_traces` row per node,
 * JSON values stored as text. A save is one batch (one transaction), so a reader never
 * sees half a run.
 */
import type { NodeTrace, RunQuery, RunRecord, RunStore } from "@arcrun/core";
import { ensureMigrated } from "./migrations";

/**
 * A row holds one field of the record (core's RunRecordSchema) per column: text and numbers
 * as they are, any other value as JSON text, an optional field as NULL when absent. Derived
 * from the schema, so a field added there must be given a column here.
 */
type Row<T> = { [K in keyof T]-?: Column<Exclude<T[K], undefined>> | (undefined extends T[K] ? null : never) };
type Column<V> = [V] extends [string] ? V : [V] extends [number] ? V : string | null;
type RunRow = Row<Omit<RunRecord, "nodes">>;
type TraceRow = Row<NodeTrace>;

const UPSERT_RUN = `INSERT INTO runs (run_id, workflow, workflow_hash, status, result, error, started_at, duration_ms, trigger, rerun_of, input)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
  ON CONFLICT (run_id) DO UPDATE SET workflow = ?2, workflow_hash = ?3, status = ?4, result = ?5, error = ?6,
    started_at = ?7, duration_ms = ?8, trigger = ?9, rerun_of = ?10, input = COALESCE(?11, input)`;
const INSERT_TRACES = `INSERT OR REPLACE INTO node_traces (run_id, seq, node, component, status, input, output, error, attempts, duration_ms, branch, logs)
  VALUES `;
const TRACE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** D1 binds at most 100 parameters per statement; a trace row has 12. */
const TRACES_PER_STATEMENT = 8;
const INSERT_NODE = `INSERT OR REPLACE INTO node_traces (run_id, seq, node, component, status, input, output, error, attempts, duration_ms, branch, logs)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 WHERE EXISTS (SELECT 1 FROM runs WHERE run_id = ?1 AND status = 'running')`;
const RUN_COLUMNS = "run_id, workflow, workflow_hash, status, result, error, started_at, duration_ms, trigger, rerun_of";

export class D1RunStore implements RunStore {
  constructor(private readonly db: D1Database) {}

  async save(run: RunRecord): Promise<void> {
    await ensureMigrated(this.db);
    const statements = [
      this.db
        .prepare(UPSERT_RUN)
        .bind(run.run_id, run.workflow, run.workflow_hash ?? null, run.status, toJson(run.result), toJson(run.error),
          run.started_at, run.duration_ms, run.trigger ?? null, run.rerun_of ?? null, toJson(run.input)),
    ];
    // Multi-row inserts: D1 cost grows with statements, not rows. A later save of the same
    // run (running → finished) only ever adds nodes, so replacing rows by (run_id, seq) suffices.
    for (let start = 0; start < run.nodes.length; start += TRACES_PER_STATEMENT) {
      const chunk = run.nodes.slice(start, start + TRACES_PER_STATEMENT);
      const values = chunk.flatMap((t, i) => [run.run_id, start + i, t.node, t.component, t.status, toJson(t.input), toJson(t.output),
        toJson(t.error), t.attempts, t.duration_ms, t.branch ?? null, t.logs?.length ? JSON.stringify(t.logs) : null]);
      statements.push(this.db.prepare(INSERT_TRACES + chunk.map(() => TRACE_ROW).join(", ")).bind(...values));
    }
    await this.db.batch(statements);
  }

  async saveNode(runId: string, seq: number, t: NodeTrace, durationMs: number): Promise<void> {
    await ensureMigrated(this.db);
    await this.db.batch([
      // only while the run is still running: a late write never lands on a finished record
      this.db.prepare(INSERT_NODE).bind(runId, seq, t.node, t.component, t.status, toJson(t.input), toJson(t.output),
        toJson(t.error), t.attempts, t.duration_ms, t.branch ?? null, t.logs?.length ? JSON.stringify(t.logs) : null),
      this.db.prepare("UPDATE runs SET duration_ms = MAX(duration_ms, ?) WHERE run_id = ? AND status = 'running'").bind(durationMs, runId),
    ]);
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    await ensureMigrated(this.db);
    const [runs, traces] = await this.db.batch([
      this.db.prepare(`SELECT ${RUN_COLUMNS}, input FROM runs WHERE run_id = ?`).bind(runId),
      this.db
        .prepare("SELECT node, component, status, input, output, error, attempts, duration_ms, branch, logs FROM node_traces WHERE run_id = ? ORDER BY seq")
        .bind(runId),
    ]);
    const row = runs.results[0] as RunRow | undefined;
    if (!row) return undefined;
    const input = row.input === null || row.input === undefined ? {} : { input: fromJson(row.input) };
    return { ...fromRunRow(row), ...input, nodes: (traces.results as TraceRow[]).map(fromTraceRow) };
  }

  async list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]> {
    await ensureMigrated(this.db);
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.workflow) {
      where.push("workflow = ?");
      params.push(query.workflow);
    }
    if (query.status) {
      where.push("status = ?");
      params.push(query.status);
    }
    params.push(query.limit ?? 50);
    const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY started_at DESC, run_id DESC LIMIT ?`;
    const { results } = await this.db.prepare(sql).bind(...params).all<RunRow>();
    return results.map(fromRunRow);
  }
}

function fromRunRow(row: RunRow): Omit<RunRecord, "nodes"> {
  const run: Omit<RunRecord, "nodes"> = {
    run_id: row.run_id,
    workflow: row.workflow,
    status: row.status,
    result: fromJson(row.result),
    started_at: row.started_at,
    duration_ms: row.duration_ms,
  };
  if (row.workflow_hash) run.workflow_hash = row.workflow_hash;
  if (row.error) run.error = fromJson(row.error) as RunRecord["error"];
  if (row.trigger) run.trigger = row.trigger;
  if (row.rerun_of) run.rerun_of = row.rerun_of;
  return run;
}

function fromTraceRow(row: TraceRow): NodeTrace {
  const trace: NodeTrace = {
    node: row.node,
    component: row.component,
    status: row.status,
    input: fromJson(row.input),
    output: fromJson(row.output),
    error: fromJson(row.error) as NodeTrace["error"],
    attempts: row.attempts,
    duration_ms: row.duration_ms,
  };
  if (row.branch) trace.branch = row.branch;
  if (row.logs) trace.logs = JSON.parse(row.logs) as string[];
  return trace;
}

/** undefined and null both become SQL NULL; everything else is JSON text. */
function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}
