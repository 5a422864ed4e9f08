/**
 * Bearer-key auth for every endpoint except `GET /health` and the token-bearing webhook
 * (DESIGN § Security defaults). Never open by default: a Worker without ARCRUN_API_KEY
 * refuses with `not_configured`. The key is compared in constant time (core's secretEquals:
 * the time depends on the presented key's length only, so neither the key nor its length leaks).
 */
import type { MiddlewareHandler } from "hono";
import { arcrunError, ArcrunError, secretEquals } from "@arcrun/core";
import type { AppEnv } from "./env";
import { errorResponse } from "./errors";

/** Routes reachable without the key: the health probe and webhook URLs (the token is the secret). */
export function isPublic(method: string, path: string): boolean {
  if (method === "GET" && path === "/health") return true;
  return method === "POST" && /^\/webhooks\/[^/]+\/trigger\/?$/.test(path) && !path.startsWith("/webhooks/named/");
}

export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isPublic(c.req.method, c.req.path)) return next();
  const expected = c.env.ARCRUN_API_KEY;
  if (!expected) {
    return errorResponse(
      c,
      new ArcrunError("not_configured", "This executor has no API key configured, so it refuses every authenticated request.", {
        hint: "Set the Worker secret: `wrangler secret put ARCRUN_API_KEY` (locally `npm start` sets one for you).",
      }),
    );
  }
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !secretEquals(match[1], expected)) {
    const where = c.env.ARCRUN_API_KEY_HINT ?? "the Worker secret ARCRUN_API_KEY";
    return errorResponse(
      c,
      arcrunError("unauthorized", match ? "The API key is wrong." : "This endpoint needs an API key.", {
        hint: `Send \`Authorization: Bearer <key>\`; the key is ${where}. The acr CLI finds the local key by itself.`,
      }),
    );
  }
  return next();
};
