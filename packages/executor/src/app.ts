/**
 * The executor's Hono app: body cap → auth → services → one router per resource.
 * Errors from anywhere become `{error: {code, message, hint?}}` in errors.ts.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { userError } from "@arcrun/core";
import type { AppEnv, Env, Services } from "./env";
import { requireApiKey } from "./auth";
import { errorResponse, onError, onNotFound } from "./errors";
import { KvWorkflowStore } from "./bindings/kv-workflow-store";
import { D1RunStore } from "./bindings/d1-run-store";
import { createResolver } from "./components/resolver";
import { health } from "./routes/health";
import { execute } from "./routes/execute";
import { workflows } from "./routes/workflows";
import { webhooks } from "./routes/webhooks";
import { query } from "./routes/query";
import { runs } from "./routes/runs";
import { credentials, credentialRotation } from "./routes/credentials";
import { components } from "./routes/components";
import { runSecrets } from "./services/credentials";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** replaces the binding-backed services (tests, other hosts) */
  services?: (env: Env) => Services;
}

export function servicesFromBindings(env: Env): Services {
  return {
    workflows: new KvWorkflowStore(env.WEBHOOKS),
    runs: new D1RunStore(env.ARCRUN_DB),
    resolver: createResolver(env),
    secretsFor: (redactor) => runSecrets(env, redactor),
  };
}

export function createApp(options: AppOptions = {}): Hono<AppEnv> {
  const makeServices = options.services ?? servicesFromBindings;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        errorResponse(
          c,
          userError("payload_too_large", "The request body is larger than 1 MiB.", {
            status: 413,
            hint: "Send less data per request; large payloads belong in storage, passed by reference.",
            // sizes only: error details never echo what was uploaded
            details: { limit: MAX_BODY_BYTES, ...(Number(c.req.header("content-length")) > 0 ? { bytes: Number(c.req.header("content-length")) } : {}) },
          }),
        ),
    }),
  );
  app.use(requireApiKey);
  app.use(async (c, next) => {
    c.set("services", makeServices(c.env));
    await next();
  });
  app.route("/health", health);
  app.route("/execute", execute);
  app.route("/workflows", workflows);
  app.route("/webhooks", webhooks);
  app.route("/q", query);
  app.route("/runs", runs);
  app.route("/credentials", credentials);
  app.route("/credential-rotation", credentialRotation);
  app.route("/components", components);
  return app;
}
