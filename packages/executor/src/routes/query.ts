/**
 * `GET /q/:name?a=1&b=x` → the finished run, the query parameters being the input object
 * (values are strings; a repeated parameter becomes an array of strings).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { compileStored } from "../services/compiled";
import { runToCompletion } from "../services/runner";
import { getOr404 } from "./workflows";

export const query = new Hono<AppEnv>().get("/:name", async (c) => {
  const input: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) input[key] = values.length === 1 ? values[0] : values;
  const { services } = c.var;
  const workflow = await compileStored(await getOr404(c, c.req.param("name")), services.resolver);
  return c.json(await runToCompletion({ workflow, input, trigger: "query", services, background: (w) => c.executionCtx.waitUntil(w) }));
});
