/**
 * The one run shape (issue 2 § One run shape), returned by POST /execute, /q, the named
 * query webhook, GET /runs/:id and `acr run --json`.
 */
import { z } from "../schema";

/**
 * A failed node's error, as a component returns it: `code` is one of core's ERROR_CODES for
 * arcrun's own components, any stable text for a third-party one.
 */
export const NodeErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  /** true when a retry may help (network, timeout); false for user mistakes */
  retryable: z.boolean().optional(),
});

/** A node error as the run record stores it: no retry flag. */
export const TraceErrorSchema = NodeErrorSchema.omit({ retryable: true });

export const NodeStatusSchema = z.enum(["succeeded", "failed", "skipped"]);
/** `waiting`: a durable run paused on a `wait` or `wait_for_event` node (RunRecord.waiting says on what) */
export const RunStatusSchema = z.enum(["running", "waiting", "succeeded", "failed"]);

/** What a waiting run waits for: a time (`wait`) or an event (`wait_for_event`, until its timeout). */
export const RunWaitingSchema = z.object({
  node: z.string(),
  kind: z.enum(["time", "event"]),
  /** ISO time the wait ends (the event's timeout for kind event) */
  until: z.string(),
  /** the event name, delivered by `POST /runs/:id/events/:name` */
  event: z.string().optional(),
});

/** Where a node output too large for the trace (over the workflow's max_trace_bytes) is stored. */
export const OutputRefSchema = z.object({
  /** the object key in the executor's R2 bucket; `GET /runs/:id?full=1` inlines it */
  key: z.string(),
  bytes: z.number().int().min(0),
});

export const NodeTraceSchema = z.object({
  node: z.string(),
  component: z.string(),
  status: NodeStatusSchema,
  input: z.unknown().nullable(),
  output: z.unknown().nullable(),
  error: TraceErrorSchema.nullable(),
  attempts: z.number().int().min(0),
  duration_ms: z.number().min(0),
  /** branch label emitted by a logic node */
  branch: z.string().optional(),
  logs: z.array(z.string()).optional(),
  /** the output was over max_trace_bytes: `output` is null here, the whole output is stored there */
  output_ref: OutputRefSchema.optional(),
});

export const RunRecordSchema = z.object({
  run_id: z.string(),
  workflow: z.string(),
  workflow_hash: z.string().optional(),
  status: RunStatusSchema,
  result: z.unknown().nullable(),
  error: TraceErrorSchema.extend({ node: z.string().optional() }).optional(),
  started_at: z.string(),
  duration_ms: z.number().min(0),
  trigger: z.string().optional(),
  /** the minute a cron run fired for (ISO UTC); cron runs only */
  scheduled_time: z.string().optional(),
  /** the trigger payload (redacted like the rest), what a rerun starts from; not in `GET /runs` */
  input: z.unknown().optional(),
  /** the run this one reruns (`POST /runs/:id/rerun`) */
  rerun_of: z.string().optional(),
  /** status `waiting`: on what */
  waiting: RunWaitingSchema.optional(),
  /** W3C trace id (32 hex): from the trigger's `traceparent`, else new; sent on in outbound calls */
  trace_id: z.string().optional(),
  nodes: z.array(NodeTraceSchema),
});

/** A run without its node traces: one entry of `GET /runs`. */
export const RunSummarySchema = RunRecordSchema.omit({ nodes: true, input: true });

/** `GET /runs` */
export const RunListSchema = z.object({
  runs: z.array(RunSummarySchema),
  /** how many runs match the filter, over all pages */
  total: z.number().int().min(0).optional(),
  /** pass as `cursor` for the next page; absent on the last page */
  next_cursor: z.string().optional(),
});

/** `POST /webhooks/:token/trigger` (202): the run goes on in the background. */
export const RunStartedSchema = z.object({ run_id: z.string() });

export type NodeError = z.infer<typeof NodeErrorSchema>;
export type TraceError = z.infer<typeof TraceErrorSchema>;
export type NodeTrace = z.infer<typeof NodeTraceSchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
export type RunList = z.infer<typeof RunListSchema>;
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type RunWaiting = z.infer<typeof RunWaitingSchema>;
export type OutputRef = z.infer<typeof OutputRefSchema>;

/** The record of a run that has just started: what the webhook saves before answering 202. */
export function runningRecord(init: Pick<RunRecord, "run_id" | "workflow" | "workflow_hash" | "trigger" | "started_at"> & Partial<Pick<RunRecord, "scheduled_time" | "rerun_of" | "trace_id">>): RunRecord {
  return { ...init, status: "running", result: null, duration_ms: 0, nodes: [] };
}
