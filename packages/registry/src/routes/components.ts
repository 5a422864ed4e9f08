/** The catalog: `GET /components[?q=]`, `/components/:name`, `/components/:name/:version`, `/components/:name/:version/module`. */
import { Hono, type Context } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import type { AppEnv } from "../env";
import { objectKeys, visibleTo, type VersionRow } from "../store";
import { catalogOf } from "./shared";

export const components = new Hono<AppEnv>();

components.get("/", async (c) => {
  const q = c.req.query("q")?.trim().toLowerCase();
  const all = await catalogOf(c).list(c.get("caller"));
  const found = q ? all.filter((s) => [s.name, s.description, s.category ?? ""].some((text) => text.toLowerCase().includes(q))) : all;
  return c.json({ components: found });
});

/** The caller's visible versions of `name`, newest first, or 404 component_not_found. */
async function visibleVersions(c: Context<AppEnv>, name: string): Promise<VersionRow[]> {
  const rows = (await catalogOf(c).versions(name)).filter((v) => visibleTo(v, c.get("caller")));
  if (rows.length === 0) {
    throw arcrunError("component_not_found", `The registry has no component "${name}" you can see.`, {
      hint: "`GET /components?q=<text>` searches the catalog; an accepted submission is visible to its author until it is approved.",
      details: { component: name },
    });
  }
  return rows;
}

async function versionDetail(c: Context<AppEnv>, name: string, version: string | undefined) {
  const rows = await visibleVersions(c, name);
  const row = version === undefined ? rows[0] : rows.find((v) => v.version === version);
  if (!row) {
    throw arcrunError("version_not_found", `"${name}" has no version ${version} you can see.`, {
      hint: `Versions: ${rows.map((v) => v.version).join(", ")}.`,
      details: { component: name, version },
    });
  }
  const catalog = catalogOf(c);
  const keys = objectKeys(row.name, row.version, row.sha256);
  const [contract, features, stats, submission] = await Promise.all([catalog.object(keys.contract), catalog.object(keys.features), catalog.stats(row.name, row.version), catalog.submission(row.submission_id)]);
  return {
    name: row.name,
    version: row.version,
    author: row.author,
    visibility: row.visibility,
    sha256: row.sha256,
    bytes: row.bytes,
    published_at: row.published_at,
    submission_id: row.submission_id,
    contract: contract ? await contract.json<Record<string, unknown>>() : {},
    features: features ? await features.json<{ path: string; text: string }[]>() : [],
    versions: rows.map((v) => v.version),
    stats,
    /** the acceptance report of the submission that stored this version */
    report: submission?.report ?? null,
  };
}

components.get("/:name", async (c) => c.json(await versionDetail(c, c.req.param("name"), undefined)));
components.get("/:name/:version", async (c) => c.json(await versionDetail(c, c.req.param("name"), c.req.param("version"))));

components.get("/:name/:version/module", async (c) => {
  const { name, version } = c.req.param();
  const row = (await visibleVersions(c, name)).find((v) => v.version === version);
  if (!row) throw arcrunError("version_not_found", `"${name}" has no version ${version} you can see.`, { hint: `GET /components/${name} lists the versions.`, details: { component: name, version } });
  const object = await catalogOf(c).object(objectKeys(row.name, row.version, row.sha256).module);
  if (!object) throw new Error(`the module of ${name}@${version} is missing from REGISTRY_BUCKET`);
  return new Response(object.body, { headers: { "content-type": "application/wasm", "x-arcrun-sha256": row.sha256, "content-length": String(row.bytes) } });
});
