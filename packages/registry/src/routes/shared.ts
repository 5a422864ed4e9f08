import type { Context } from "hono";
import type { AppEnv } from "../env";
import { Catalog } from "../store";

export const catalogOf = (c: Context<AppEnv>) => new Catalog(c.env.REGISTRY_DB, c.env.REGISTRY_BUCKET);
