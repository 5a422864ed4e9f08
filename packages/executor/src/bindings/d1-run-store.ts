/**
 * RunStore over D1 `ARCRUN_DB`: one `runs` row per run with its node traces as one JSON array
 * (`runs.nodes`, migration 0002), so a save is one statement. Each trace in it is an array of its
 * fields by position (TRACE_FIELDS), not an object: the keys are not written again for every
 * node of every run (a third of signup-5's traces; D1's cost grows with the bytes sent). Traces
 * saved as objects before still read. Runs saved before 0002 keep their traces as one
 * `node_traces` row per node; `get` reads those when `runs.nodes` is NULL.
 */
import { jsonOf, jsonOfFields, type NodeTrace, type RunPurge, type RunQuery, type RunRecord, type RunStore, type RunWaiting } from "@arcrun/core";
import { ensureMigrated } from "./migrations";

/**
 * A row holds one field of the record (core's RunRecordSchema) per column: text and numbers
 * as they are, any other value as JSON text, an optional field as NULL when absent. Derived
 * from the schema, so a field added there must be given a column here.
 */
type Row<T> = { [K in keyof T]-?: Column<Exclude<T[K], undefined>> | (undefined extends T[K] ? null : never) };
type Column<V> = [V] extends [string] ? V : [V] extends [number] ? V : string | null;
type RunRow = Row<Omit<RunRecord, "nodes" | "status">> & { status: "running" | "succeeded" | "failed"; nodes?: string | null };
type TraceRow = Row<NodeTrace>;

const COLUMNS = "run_id, workflow, workflow_hash, status, result, error, started_at, duration_ms, trigger, nodes, scheduled_time, rerun_of, input, waiting, trace_id";
/**
 * On a run saved again (a waiting run finishing, a rerun's own record): every field is replaced
 * except scheduled_time, input and trace_id, which a later save without them keeps; a row of
 * another tenant is never touched.
 */
const ON_CONFLICT = `ON CONFLICT (run_id) DO UPDATE SET workflow = excluded.workflow, workflow_hash = excluded.workflow_hash, status = excluded.status,
    result = excluded.result, error = excluded.error, started_at = excluded.started_at, duration_ms = excluded.duration_ms, trigger = excluded.trigger,
    nodes = excluded.nodes, scheduled_time = COALESCE(excluded.scheduled_time, runs.scheduled_time), rerun_of = excluded.rerun_of,
    input = COALESCE(excluded.input, runs.input), waiting = excluded.waiting, trace_id = COALESCE(excluded.trace_id, runs.trace_id)
  WHERE runs.tenant_id = excluded.tenant_id`;
/** One run, one bound parameter per column: a run saved alone, or whose row alone is too large for upsertRuns. */
const UPSERT_RUN = `INSERT INTO runs (${COLUMNS}, tenant_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
  ${ON_CONFLICT}`;
/**
 * Many runs in one statement: ?1 is a JSON array of rows, each the array of COLUMNS' values
 * (toRow) but `nodes`, unpacked by SQLite itself; each run's `nodes` (the bulk of a record) is
 * a parameter of its own, ?3 for the first row on, so it is neither escaped twice on the way nor
 * parsed by SQLite. One statement per flush, not one per run: D1 pays its per-statement costs
 * (parsing, the change counters, the reply) once. (`WHERE true` tells SQLite's parser the ON
 * CONFLICT is the upsert's, not a join's.)
 */
function upsertRuns(count: number): string {
  let sql = UPSERT_RUNS_SQL.get(count);
  if (!sql) {
    const values = COLUMNS.split(", ").map((column, i) =>
      column === "nodes" ? `CASE key ${Array.from({ length: count }, (_, n) => `WHEN ${n} THEN ?${n + 3}`).join(" ")} END` : `json_extract(value, '$[${i}]')`,
    );
    sql = `INSERT INTO runs (${COLUMNS}, tenant_id) SELECT ${values.join(", ")}, ?2 FROM json_each(?1) WHERE true
  ${ON_CONFLICT}`;
    UPSERT_RUNS_SQL.set(count, sql);
  }
  return sql;
}
const UPSERT_RUNS_SQL = new Map<number, string>();
const NODES = COLUMNS.split(", ").indexOf("nodes");
/** D1 binds at most 100 parameters to a statement: the rows, the tenant and 98 runs' nodes. */
export const MAX_RUNS_PER_STATEMENT = 98;
/**
 * The most text one statement's rows parameter holds (UTF-16 units, so at most 3× as many
 * bytes): under D1's 2 MB limit on one value. A flush larger than this is several statements of
 * one batch; a run whose row alone is larger is saved by UPSERT_RUN, its columns bound one by one.
 */
export const MAX_ROWS_TEXT = 500_000;
/** a waiting run is a `running` row with `waiting` set (migration 0005) */
const SET_WAITING = "UPDATE runs SET waiting = ?2 WHERE run_id = ?1 AND status = 'running' AND tenant_id = ?3";
/**
 * One finished node of a background run, appended at its place in runs.nodes — only while the
 * run is still running, so a late write never lands on a finished record.
 */
const SAVE_NODE = `UPDATE runs SET nodes = json_set(COALESCE(nodes, '[]'), '$[' || CAST(?2 AS INTEGER) || ']', json(?3)), duration_ms = MAX(duration_ms, ?4)
  WHERE run_id = ?1 AND status = 'running' AND tenant_id = ?5`;
const RUN_COLUMNS = "run_id, workflow, workflow_hash, status, result, error, started_at, duration_ms, trigger, scheduled_time, rerun_of, waiting, trace_id";

/** A run encoded for saveEncoded: upsertRuns' row text (nodes NULL) and its nodes apart. */
export interface EncodedRun {
  run_id: string;
  workflow: string;
  text: string;
  nodes: string;
}

export class D1RunStore implements RunStore {
  /** `tenant`: the tenant every row read or written belongs to ('' in single-tenant mode; migration 0006) */
  constructor(private readonly db: D1Database, private readonly tenant = "") {}

  async save(run: RunRecord): Promise<void> {
    await ensureMigrated(this.db);
    await this.db.prepare(UPSERT_RUN).bind(...toRow(run), this.tenant).run();
  }

  /**
   * Several runs in one D1 batch (one transaction, one round trip): what the recording queue
   * flushes. As few statements as the limits allow (upsertRuns), usually one; a single
   * run is UPSERT_RUN (so the queue's run-by-run retry of a failed batch takes the other path).
   */
  async saveMany(runs: RunRecord[]): Promise<void> {
    await this.saveEncoded(runs.map((run) => this.encode(run)));
  }

  /** A run as saveEncoded writes it: its row's values but `nodes` as JSON text, and `nodes`. */
  encode(run: RunRecord): EncodedRun {
    const row = toRow(run);
    const nodes = row[NODES] as string;
    row[NODES] = null;
    return { run_id: run.run_id, workflow: run.workflow, text: JSON.stringify(row), nodes };
  }

  /** saveMany of runs already encoded (what the recording queue keeps). */
  async saveEncoded(runs: EncodedRun[]): Promise<void> {
    if (runs.length === 0) return;
    await ensureMigrated(this.db);
    if (runs.length === 1) return void (await this.upsertOne(runs[0]).run());
    const statements: D1PreparedStatement[] = [];
    let rows: string[] = [];
    let nodes: string[] = [];
    let size = 0;
    const flush = () => {
      if (rows.length) statements.push(this.db.prepare(upsertRuns(rows.length)).bind(`[${rows.join(",")}]`, this.tenant, ...nodes));
      rows = [];
      nodes = [];
      size = 0;
    };
    for (const run of runs) {
      if (run.text.length > MAX_ROWS_TEXT) {
        statements.push(this.upsertOne(run));
        continue;
      }
      if (size + run.text.length + 1 > MAX_ROWS_TEXT || rows.length === MAX_RUNS_PER_STATEMENT) flush();
      rows.push(run.text);
      nodes.push(run.nodes);
      size += run.text.length + 1;
    }
    flush();
    if (statements.length === 1) await statements[0].run();
    else await this.db.batch(statements);
  }

  /** One run, one bound parameter per column (UPSERT_RUN). */
  private upsertOne(run: EncodedRun): D1PreparedStatement {
    const row = JSON.parse(run.text) as (string | number | null)[];
    row[NODES] = run.nodes;
    return this.db.prepare(UPSERT_RUN).bind(...row, this.tenant);
  }

  async saveNode(runId: string, seq: number, t: NodeTrace, durationMs: number): Promise<void> {
    await ensureMigrated(this.db);
    await this.db.prepare(SAVE_NODE).bind(runId, seq, JSON.stringify(traceTuple(t)), durationMs, this.tenant).run();
  }

  async setWaiting(runId: string, waiting: RunWaiting | undefined): Promise<void> {
    await ensureMigrated(this.db);
    await this.db.prepare(SET_WAITING).bind(runId, toJson(waiting), this.tenant).run();
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    await ensureMigrated(this.db);
    const row = await this.db.prepare(`SELECT ${RUN_COLUMNS}, input, nodes FROM runs WHERE run_id = ? AND tenant_id = ?`).bind(runId, this.tenant).first<RunRow>();
    if (!row) return undefined;
    const { input: rawInput, ...rest } = row;
    const run = { ...fromRunRow({ ...rest, input: null }), ...(rawInput === null || rawInput === undefined ? {} : { input: fromJson(rawInput) }) };
    if (typeof row.nodes === "string") return { ...run, nodes: decodeTraces(row.nodes) };
    // saved before migration 0002: one node_traces row per node
    const traces = await this.db
      .prepare("SELECT node, component, status, input, output, error, attempts, duration_ms, branch, logs FROM node_traces WHERE run_id = ? ORDER BY seq")
      .bind(runId)
      .all<TraceRow>();
    return { ...run, nodes: traces.results.map(fromTraceRow) };
  }

  async list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]> {
    await ensureMigrated(this.db);
    const { where, params } = filter(query, this.tenant);
    if (query.after) {
      where.push("(started_at < ? OR (started_at = ? AND run_id < ?))");
      params.push(query.after.started_at, query.after.started_at, query.after.run_id);
    }
    params.push(query.limit ?? 50);
    const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY started_at DESC, run_id DESC LIMIT ?`;
    const { results } = await this.db.prepare(sql).bind(...params).all<RunRow>();
    return results.map(fromRunRow);
  }

  async count(query: RunQuery): Promise<number> {
    await ensureMigrated(this.db);
    const { where, params } = filter(query, this.tenant);
    const row = await this.db
      .prepare(`SELECT COUNT(*) AS n FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`)
      .bind(...params)
      .first<{ n: number }>();
    return row?.n ?? 0;
  }

  async purge(purge: RunPurge): Promise<number> {
    await ensureMigrated(this.db);
    const where = ["tenant_id = ?", "started_at < ?"];
    const params: unknown[] = [this.tenant, purge.before];
    if (purge.workflow !== undefined) {
      where.push("workflow = ?");
      params.push(purge.workflow);
    }
    if (purge.except?.length) {
      where.push(`workflow NOT IN (${purge.except.map(() => "?").join(", ")})`);
      params.push(...purge.except);
    }
    params.push(purge.limit);
    // the same oldest-first batch in both statements, in one transaction: traces, then their runs
    const batch = `SELECT run_id FROM runs WHERE ${where.join(" AND ")} ORDER BY started_at, run_id LIMIT ?`;
    const [, deleted] = await this.db.batch([
      this.db.prepare(`DELETE FROM node_traces WHERE run_id IN (${batch})`).bind(...params),
      this.db.prepare(`DELETE FROM runs WHERE run_id IN (${batch})`).bind(...params),
    ]);
    return deleted.meta.changes ?? 0;
  }
}

/**
 * The WHERE clauses of a run filter (list and count share it). A status is written literally
 * (RunStatus is a closed set), so SQLite can choose the partial indexes runs_running and
 * runs_failed (migration 0007).
 */
function filter(query: RunQuery, tenant: string): { where: string[]; params: unknown[] } {
  const where: string[] = ["tenant_id = ?"];
  const params: unknown[] = [tenant];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (query.workflow) add("workflow = ?", query.workflow);
  if (query.status === "waiting") where.push("status = 'running' AND waiting IS NOT NULL");
  else if (query.status === "running") where.push("status = 'running' AND waiting IS NULL");
  else if (query.status === "failed" || query.status === "succeeded") where.push(`status = '${query.status}'`);
  else if (query.status) add("status = ?", query.status);
  if (query.trigger) add("trigger = ?", query.trigger);
  if (query.since) add("started_at >= ?", query.since);
  if (query.until) add("started_at < ?", query.until);
  return { where, params };
}

function fromRunRow(row: RunRow): Omit<RunRecord, "nodes"> {
  const run: Omit<RunRecord, "nodes"> = {
    run_id: row.run_id,
    workflow: row.workflow,
    status: row.status === "running" && row.waiting ? "waiting" : row.status,
    result: fromJson(row.result),
    started_at: row.started_at,
    duration_ms: row.duration_ms,
  };
  if (row.workflow_hash) run.workflow_hash = row.workflow_hash;
  if (row.error) run.error = fromJson(row.error) as RunRecord["error"];
  if (row.trigger) run.trigger = row.trigger;
  if (row.scheduled_time) run.scheduled_time = row.scheduled_time;
  if (row.rerun_of) run.rerun_of = row.rerun_of;
  if (row.status === "running" && row.waiting) run.waiting = fromJson(row.waiting) as RunWaiting;
  if (row.trace_id) run.trace_id = row.trace_id;
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

/** A run's values in COLUMNS' order: what both upserts write (a waiting run is a `running` row with `waiting`). */
function toRow(run: RunRecord): (string | number | null)[] {
  const waiting = run.status === "waiting";
  // the traces as one JSON array: a run is one row, whatever its node count
  return [run.run_id, run.workflow, run.workflow_hash ?? null, waiting ? "running" : run.status, toJson(run.result), toJson(run.error),
    run.started_at, run.duration_ms, run.trigger ?? null, encodeTraces(run.nodes), run.scheduled_time ?? null,
    run.rerun_of ?? null, toJson(run.input), waiting ? toJson(run.waiting) : null, run.trace_id ?? null];
}

/**
 * A stored trace's fields by position; the optional ones last, so a trace without them ends
 * after duration_ms. The compiler checks the list holds every field of NodeTrace.
 */
const TRACE_FIELDS = ["node", "component", "status", "input", "output", "error", "attempts", "duration_ms", "branch", "logs", "output_ref"] as const;
const TRACE_FIELDS_COMPLETE: Exclude<keyof NodeTrace, (typeof TRACE_FIELDS)[number]> extends never ? true : never = true;
void TRACE_FIELDS_COMPLETE;
const REQUIRED_FIELDS = TRACE_FIELDS.indexOf("duration_ms") + 1;

/**
 * JSON.stringify of the traces' tuples, written out here so that inputs and outputs whose JSON
 * the run already made (core's json/known.ts: a code node's input and result, every output the
 * node runner measured) are spliced in instead of encoded again.
 */
function encodeTraces(nodes: NodeTrace[]): string {
  let text = "[";
  for (let i = 0; i < nodes.length; i++) {
    const t = nodes[i];
    if (i > 0) text += ",";
    text += `[${jsonOf(t.node)},${jsonOf(t.component)},${jsonOf(t.status)},${jsonOfFields(t.input)},${jsonOf(t.output)},${jsonOf(t.error)},${jsonOf(t.attempts)},${jsonOf(t.duration_ms)}`;
    if (t.branch !== undefined || t.logs !== undefined || t.output_ref !== undefined) text += `,${jsonOf(t.branch)},${jsonOf(t.logs)},${jsonOf(t.output_ref)}`;
    text += "]";
  }
  return text + "]";
}

function traceTuple(trace: NodeTrace): unknown[] {
  const tuple: unknown[] = [trace.node, trace.component, trace.status, trace.input ?? null, trace.output ?? null, trace.error ?? null, trace.attempts, trace.duration_ms];
  if (trace.branch !== undefined || trace.logs !== undefined || trace.output_ref !== undefined) tuple.push(trace.branch ?? null, trace.logs ?? null, trace.output_ref ?? null);
  return tuple;
}

/** runs.nodes back into traces: tuples (traceTuple), or objects as saved before tuples. */
function decodeTraces(text: string): NodeTrace[] {
  return (JSON.parse(text) as (unknown[] | NodeTrace)[]).map((stored) => {
    if (!Array.isArray(stored)) return stored;
    const trace = {} as Record<string, unknown>;
    TRACE_FIELDS.forEach((field, i) => {
      if (i < REQUIRED_FIELDS) trace[field] = stored[i] ?? null;
      else if (stored[i] !== undefined && stored[i] !== null) trace[field] = stored[i];
    });
    return trace as NodeTrace;
  });
}

/** undefined and null both become SQL NULL; everything else is JSON text (made once per value: json/known.ts). */
function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : jsonOf(value);
}

function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}
