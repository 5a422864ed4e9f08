/**
 * The registry Worker's request bodies and answers (DESIGN § HTTP API, issue 14), defined once:
 * packages/registry validates with them, the CLI parses answers with them.
 */
import { z } from "../schema";

const JsonObject = z.looseObject({});

/** One Gherkin feature file of a submission: its path in the component folder and its text. */
export const SubmittedFeatureSchema = z.object({
  path: z.string().regex(/^[A-Za-z0-9_./-]+\.feature$/, "a relative path ending in .feature, e.g. features/encode.feature").max(200),
  text: z.string().max(256 * 1024),
});

/** `POST /submit`: contract.yaml as JSON, the module as standard base64, the feature files. */
export const SubmitRequestSchema = z.object({
  contract: JsonObject,
  wasm: z.string(),
  features: z.array(SubmittedFeatureSchema).max(64),
  /**
   * Admin key only: a component of arcrun's own standard library, registered by the local server
   * from the checkout that built it and runs its features in its test suite. The static steps
   * (contract, size, imports and metering) run as for any submission; the sandbox steps
   * (cold_start, features, config_example) are reported as not repeated: each would keep fresh
   * isolates alive in the local workerd (about 10 MB each) and cost seconds of start-up work.
   */
  first_party: z.literal(true).optional(),
});
export type SubmitRequest = z.infer<typeof SubmitRequestSchema>;

/** `PATCH /submit/:id/reject`. */
export const RejectRequestSchema = z.object({ reason: z.string().trim().min(1).max(2000) });

/** One verdict of a component node, reported by an executor. */
export const UsageRecordSchema = z.object({
  component: z.string().min(1).max(100),
  version: z.string().min(1).max(100),
  success: z.boolean(),
  duration_ms: z.number().finite().min(0).max(24 * 3600 * 1000),
});
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

/** `POST /analytics/record`: one run's verdicts, batched. */
export const AnalyticsRecordRequestSchema = z.object({ records: z.array(UsageRecordSchema).min(1).max(1000) });
export type AnalyticsRecordRequest = z.infer<typeof AnalyticsRecordRequestSchema>;

/** `POST /analytics/record` → 200: what was counted and what named no known component version. */
export const AnalyticsRecordedSchema = z.object({ recorded: z.number(), dropped: z.number() });

/** The acceptance steps, in the order they run. */
export const ACCEPTANCE_STEPS = ["contract", "size", "imports", "cold_start", "features", "config_example"] as const;
export type AcceptanceStepName = (typeof ACCEPTANCE_STEPS)[number];

export const AcceptanceStepSchema = z.object({
  step: z.enum(ACCEPTANCE_STEPS),
  passed: z.boolean(),
  /** the measured figures (bytes and cap, load times, scenario verdicts, ...) */
  figures: z.record(z.string(), z.unknown()),
  /** why it failed and how to fix it */
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type AcceptanceStep = z.infer<typeof AcceptanceStepSchema>;

export const AcceptanceReportSchema = z.object({
  passed: z.boolean(),
  steps: z.array(AcceptanceStepSchema),
});
export type AcceptanceReport = z.infer<typeof AcceptanceReportSchema>;

export const SubmissionStatusSchema = z.enum(["accepted", "approved", "rejected"]);
export const VisibilitySchema = z.enum(["author_only", "public", "withdrawn"]);

/** `POST /submit` (201) and `GET /submit/:id`. */
export const SubmissionSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  author: z.string(),
  status: SubmissionStatusSchema,
  visibility: VisibilitySchema,
  sha256: z.string(),
  bytes: z.number(),
  submitted_at: z.string(),
  decided_at: z.string().nullable(),
  reason: z.string().nullable(),
  report: AcceptanceReportSchema,
});
export type Submission = z.infer<typeof SubmissionSchema>;

export const UsageStatsSchema = z.object({
  total_runs: z.number(),
  /** successes / runs, 0..1; null before the first run */
  success_rate: z.number().nullable(),
  avg_duration_ms: z.number().nullable(),
});
export type UsageStats = z.infer<typeof UsageStatsSchema>;

/** One entry of `GET /components`. */
export const ComponentSummarySchema = UsageStatsSchema.extend({
  name: z.string(),
  latest_version: z.string(),
  author: z.string(),
  category: z.string().nullable(),
  description: z.string(),
  bytes: z.number(),
  visibility: VisibilitySchema,
});
export type ComponentSummary = z.infer<typeof ComponentSummarySchema>;
export const ComponentListSchema = z.object({ components: z.array(ComponentSummarySchema) });

export const DailyStatsSchema = UsageStatsSchema.extend({ day: z.string() });

/** `GET /components/:name/:version`. */
export const ComponentVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  author: z.string(),
  visibility: VisibilitySchema,
  sha256: z.string(),
  bytes: z.number(),
  published_at: z.string(),
  submission_id: z.string(),
  contract: JsonObject,
  features: z.array(SubmittedFeatureSchema),
  versions: z.array(z.string()),
  stats: UsageStatsSchema.extend({ days: z.array(DailyStatsSchema) }),
});
export type ComponentVersion = z.infer<typeof ComponentVersionSchema>;
