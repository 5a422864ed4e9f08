/**
 * The tenant calling: its API key in `X-Arcrun-API-Key` or `Authorization: Bearer`. An unknown,
 * revoked or deleted tenant's key is the same 401 (nothing says which).
 */
import type { MiddlewareHandler } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import type { AppEnv } from "./env";
import { AccountStore } from "./store";

export function apiKeyOf(headers: Headers): string | undefined {
  const direct = headers.get("x-arcrun-api-key")?.trim();
  if (direct) return direct;
  const match = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  return match?.[1];
}

export const requireTenant: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = apiKeyOf(c.req.raw.headers);
  const found = key ? await new AccountStore(c.env.ACCOUNTS_KV).byKey(key) : undefined;
  if (!found) {
    throw arcrunError("unauthorized", key ? "The API key is unknown or revoked." : "This endpoint needs your arcrun API key.", {
      hint: "Send `X-Arcrun-API-Key: arc_…` (or `Authorization: Bearer arc_…`): the key `POST /register` or `POST /keys` answered.",
    });
  }
  c.set("tenant", found.tenant);
  c.set("keyId", found.keyId);
  await next();
};
