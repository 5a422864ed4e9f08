/**
 * Registrations per IP and hour, counted in ACCOUNTS_KV (`rate:{ip}:{hour}`, expiring after two
 * hours). Every attempt counts, refused ones too: flooding with bad tokens is flooding. KV is
 * eventually consistent, so a burst spread over many locations may pass a few more; Cloudflare's
 * own rate-limiting rules in front of the Worker are the hard limit on a real deployment.
 */
import { arcrunError } from "@arcrun/core/errors";
import type { Env } from "./env";

export const DEFAULT_REGISTER_LIMIT = 10;
const HOUR_MS = 3_600_000;

export async function countRegistration(env: Env, ip: string, now: number): Promise<void> {
  const limit = Number(env.AUTH_REGISTER_LIMIT) > 0 ? Math.floor(Number(env.AUTH_REGISTER_LIMIT)) : DEFAULT_REGISTER_LIMIT;
  const hour = Math.floor(now / HOUR_MS);
  const name = `rate:${ip}:${hour}`;
  const count = Number((await env.ACCOUNTS_KV.get(name)) ?? 0);
  if (count >= limit) {
    const retry_after_s = Math.ceil(((hour + 1) * HOUR_MS - now) / 1000);
    throw arcrunError("rate_limited", `Too many registrations from this address: at most ${limit} an hour.`, {
      hint: `Try again in ${retry_after_s} s.`,
      details: { limit, retry_after_s },
    });
  }
  await env.ACCOUNTS_KV.put(name, String(count + 1), { expirationTtl: 2 * 3600 });
}

/** The caller's address as Cloudflare reports it (`CF-Connecting-IP`); one shared bucket when absent. */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip")?.trim() || "unknown";
}
