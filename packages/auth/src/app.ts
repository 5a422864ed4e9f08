/**
 * The auth Worker's Hono app: body cap → health → registration → the tenant's own endpoints;
 * errors in the executor's shape (errors.ts). The Worker entry (index.ts) only wires it; the
 * executor's look-ups are the `Resolver` entrypoint there, never an HTTP route.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { arcrunError } from "@arcrun/core/errors";
import type { AppEnv, Env } from "./env";
import { errorResponse, onError, onNotFound } from "./errors";
import { account } from "./routes/account";
import { register } from "./routes/register";

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppDeps {
  /** the clock (rate-limit windows, created/last-used times) */
  now?: () => number;
  /** removes what a deleted tenant stored on the executor; true when done (default: the `EXECUTOR` binding, if bound) */
  purgeExecutor?: (env: Env, tenantId: string) => Promise<boolean>;
}

const purgeOverBinding = async (env: Env, tenantId: string): Promise<boolean> => {
  if (!env.EXECUTOR) return false;
  const res = await env.EXECUTOR.fetch(`https://executor/purge/${tenantId}`, { method: "POST" });
  await res.body?.cancel();
  return res.ok;
};

export function createApp(deps: AppDeps = {}): Hono<AppEnv> {
  const full: Required<AppDeps> = { now: deps.now ?? Date.now, purgeExecutor: deps.purgeExecutor ?? purgeOverBinding };
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, arcrunError("payload_too_large", "The request body is larger than 16 KiB.", { hint: "Registration takes three short fields.", details: { limit: MAX_BODY_BYTES } })),
    }),
  );
  app.get("/health", (c) => c.json({ ok: true, service: "auth" }));
  app.route("/register", register(full));
  app.route("/", account(full));
  return app;
}
