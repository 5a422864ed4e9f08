/**
 * The executor's Hono app: body cap → auth → services → one router per resource.
 * Errors from anywhere become `{error: {code, message, hint?}}` in errors.ts.
 * Built from its dependencies: the Worker entry (index.ts) passes services over the bindings,
 * the in-process tests (test/unit/) services over core's in-memory ports.
 */
import { Hono } from "hono";
import { PatternRouter } from "hono/router/pattern-router";
import { bodyLimit } from "hono/body-limit";
import { drainBody } from "@arcrun/core/net/drain-body";
import { arcrunError } from "@arcrun/core";
import type { AppEnv, Background, Env, Services } from "./env";
import { authenticate } from "./middleware/tenant";
import { errorResponse, onError, onNotFound } from "./errors";
import { health } from "./routes/health";
import { execute } from "./routes/execute";
import { workflows } from "./routes/workflows";
import { webhooks } from "./routes/webhooks";
import { query } from "./routes/query";
import { runs } from "./routes/runs";
import { credentials, credentialRotation } from "./routes/credentials";
import { components } from "./routes/components";
import { recipes } from "./routes/recipes";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  /** the ports one request uses, from its `env` (and its `waitUntil`, for work after the response) */
  services: (env: Env, ctx?: Background) => Services;
}

/** Hono throws when a request comes without an ExecutionContext (`app.request()` without one). */
function executionContext(c: { executionCtx: Background }): Background | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const makeServices = deps.services;
  // Hono's default (RegExpRouter) cannot hold both /webhooks/named/:name/query and
  // /webhooks/:token/trigger and falls back to its TrieRouter: PatternRouter matches these
  // routes in about half its time (one regular expression per route)
  const app = new Hono<AppEnv>({ router: new PatternRouter() });
  app.onError(onError);
  app.notFound(onNotFound);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        await drainBody(c.req.raw);
        return errorResponse(
          c,
          arcrunError("payload_too_large", "The request body is larger than 1 MiB.", {
            hint: "Send less data per request; large payloads belong in storage, passed by reference.",
            // sizes only: error details never echo what was uploaded
            details: { limit: MAX_BODY_BYTES, ...(Number(c.req.header("content-length")) > 0 ? { bytes: Number(c.req.header("content-length")) } : {}) },
          }),
        );
      },
    }),
  );
  app.use(authenticate); // the executor's API key, or with MULTI_TENANT a tenant's (and its scoped env)
  // routes read it with c.get("services"): `c.var` copies every variable into a new object each time
  app.use(async (c, next) => {
    c.set("services", makeServices(c.env, executionContext(c)));
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
  app.route("/recipes", recipes);
  return app;
}

