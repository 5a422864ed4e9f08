/**
 * Who is calling. A bearer key names an author (REGISTRY_KEYS, `{"<author>": "<key>"}`) or the
 * admin (REGISTRY_ADMIN_KEY, author `arcrun`); keys are compared in constant time and never
 * stored or echoed — the author name is what the catalog records. Reading the catalog needs no
 * key (public components only); submitting and recording need one; approving needs the admin's.
 */
import type { Context, MiddlewareHandler } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import { secretEquals } from "@arcrun/core/crypto/digest";
import type { AppEnv, Env } from "./env";

export interface Caller {
  author: string;
  admin: boolean;
}

/** The author name of the admin key: the standard components are published under it. */
export const ADMIN_AUTHOR = "arcrun";

function authorKeys(env: Env): [string, string][] {
  if (!env.REGISTRY_KEYS) return [];
  try {
    const parsed = JSON.parse(env.REGISTRY_KEYS) as Record<string, unknown>;
    return Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].length > 0);
  } catch {
    console.error("REGISTRY_KEYS is not a JSON object of author → key; no author key is accepted");
    return [];
  }
}

const keyHint = (env: Env) => `Send \`Authorization: Bearer <key>\`; the keys are ${env.REGISTRY_KEY_HINT ?? "the Worker secrets REGISTRY_KEYS and REGISTRY_ADMIN_KEY"}.`;

export const identify: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (header === undefined) {
    c.set("caller", undefined);
    return next();
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const key = match?.[1] ?? "";
  let caller: Caller | undefined;
  if (key && c.env.REGISTRY_ADMIN_KEY && secretEquals(key, c.env.REGISTRY_ADMIN_KEY)) caller = { author: ADMIN_AUTHOR, admin: true };
  for (const [author, expected] of authorKeys(c.env)) {
    if (!caller && key && secretEquals(key, expected)) caller = { author, admin: false };
  }
  if (!caller) throw arcrunError("unauthorized", match ? "The registry key is wrong." : "The Authorization header is not a bearer key.", { hint: keyHint(c.env) });
  c.set("caller", caller);
  return next();
};

export function requireCaller(c: Context<AppEnv>): Caller {
  const caller = c.get("caller");
  if (!caller) throw arcrunError("unauthorized", "This endpoint needs a registry key.", { hint: keyHint(c.env) });
  return caller;
}

export function requireAdmin(c: Context<AppEnv>): Caller {
  const caller = requireCaller(c);
  if (!caller.admin) throw arcrunError("forbidden", "Only the registry's admin key may approve or reject submissions.", { hint: "Send the admin key (locally `.arcrun/registry-admin-key`)." });
  return caller;
}
