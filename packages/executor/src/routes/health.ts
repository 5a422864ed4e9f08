/** `GET /health` → `{ok: true, version}`; public, touches no binding. */
import { Hono } from "hono";
import pkg from "../../package.json";
import type { AppEnv } from "../env";

export const health = new Hono<AppEnv>().get("/", (c) => c.json({ ok: true, version: pkg.version }));
