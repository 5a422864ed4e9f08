/** `POST /analytics/record {records: [{component, version, success, duration_ms}]}` → `{recorded, dropped}`. */
import { Hono } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import { AnalyticsRecordRequestSchema } from "@arcrun/core/registry/api";
import { requireCaller } from "../auth";
import type { AppEnv } from "../env";
import { issuesLine, jsonBody } from "../errors";
import { catalogOf } from "./shared";

export const analytics = new Hono<AppEnv>();

analytics.post("/record", async (c) => {
  requireCaller(c);
  const parsed = AnalyticsRecordRequestSchema.safeParse(await jsonBody(c));
  if (!parsed.success) {
    throw arcrunError("invalid_request", `POST /analytics/record: ${issuesLine(parsed.error.issues)}.`, {
      hint: 'Send {"records": [{"component": "base64", "version": "1.0.0", "success": true, "duration_ms": 3}]} (1 to 1000 records).',
    });
  }
  return c.json(await catalogOf(c).record(parsed.data.records, Date.now()));
});
