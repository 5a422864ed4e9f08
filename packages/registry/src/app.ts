/**
 * The registry's Hono app: body cap → caller → one router per resource; errors in the
 * executor's shape (errors.ts). The Worker entry (index.ts) only wires it.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { drainBody } from "@arcrun/core/net/drain-body";
import { arcrunError } from "@arcrun/core/errors";
import { identify } from "./auth";
import type { AppEnv } from "./env";
import { errorResponse, onError, onNotFound } from "./errors";
import { analytics } from "./routes/analytics";
import { components } from "./routes/components";
import { submit } from "./routes/submit";

/** A submission carries a module (≤ 50 KB, ~67 KB as base64) and its feature files. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        await drainBody(c.req.raw);
        return errorResponse(c, arcrunError("payload_too_large", "The request body is larger than 2 MiB.", { hint: "A submission is one module and its feature files.", details: { limit: MAX_BODY_BYTES } }));
      },
    }),
  );
  app.get("/health", (c) => c.json({ ok: true, service: "registry" }));
  app.use(identify);
  app.route("/components", components);
  app.route("/submit", submit);
  app.route("/analytics", analytics);
  return app;
}
