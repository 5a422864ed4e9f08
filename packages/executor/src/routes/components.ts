/**
 * `GET /components` (builtin, bundled and published, in loading order), `GET /components/:name`,
 * `PUT /components/:name` (publish to R2: 201 new, 200 replaced) and `DELETE /components/:name`
 * (published ones only). Publishing needs no redeploy: the loader chain finds the module in R2.
 */
import { Hono, type Context } from "hono";
import { COMPONENT_NAME, ComponentPublishSchema, arcrunError, type ComponentPublished } from "@arcrun/core";
import type { AppEnv } from "../env";
import { readBody } from "../request";
import { R2ComponentStore } from "../bindings/r2-component-store";
import { publishedEntry, shippedComponent, shippedComponents, summary, type CatalogEntry } from "../components/catalog";
import { forgetManifest } from "../components/loader";
import { loaderBindings, publishComponent, PUBLISH_REFUSAL } from "../services/publish-component";

export const components = new Hono<AppEnv>()
  .get("/", async (c) => {
    const shipped = shippedComponents();
    const taken = new Set(shipped.map((e) => e.name));
    const published = (await publishedStore(c)?.manifests()) ?? [];
    const entries = [...shipped, ...published.filter((m) => !taken.has(m.name)).map(publishedEntry)];
    return c.json({ components: entries.map(summary) });
  })
  .get("/:name", async (c) => {
    const entry = await find(c, c.req.param("name"));
    const { name, source, contract, bytes, sha256, published_at } = entry;
    return c.json({ name, source, contract: contract ?? null, bytes, ...(sha256 ? { sha256, published_at } : {}) });
  })
  .put("/:name", async (c) => {
    loaderBindings(c.env); // a 503 for a host without R2 or the loader comes before any body problem
    const { manifest, replaced } = await publishComponent(c.env, c.req.param("name"), await readBody(c, ComponentPublishSchema, PUBLISH_REFUSAL));
    const { name, version, bytes, sha256 } = manifest;
    const published: ComponentPublished = { name, version, bytes, sha256, source: "r2" };
    return c.json(published, replaced ? 200 : 201);
  })
  .delete("/:name", async (c) => {
    const name = c.req.param("name");
    const entry = await find(c, name);
    if (entry.source !== "r2") {
      throw arcrunError("component_not_deletable", `"${name}" is a ${entry.source} component; only published (r2) components can be deleted.`, {
        hint: entry.source === "builtin" ? "Builtins are part of the engine." : "Bundled components ship with the Worker: remove components/<name>/ and redeploy.",
        details: { component: name, source: entry.source },
      });
    }
    await new R2ComponentStore(loaderBindings(c.env).WASM_BUCKET).remove(name);
    forgetManifest(name);
    return c.body(null, 204);
  });

function publishedStore(c: Context<AppEnv>): R2ComponentStore | undefined {
  return c.env.WASM_BUCKET ? new R2ComponentStore(c.env.WASM_BUCKET) : undefined;
}

/** The entry the loader chain would use for `name`, or 404 component_not_found. */
async function find(c: Context<AppEnv>, name: string): Promise<CatalogEntry> {
  const shipped = shippedComponent(name);
  if (shipped) return shipped;
  // impossible names never reach R2
  const manifest = COMPONENT_NAME.test(name) ? await publishedStore(c)?.manifest(name) : undefined;
  if (manifest) return publishedEntry(manifest);
  throw arcrunError("component_not_found", `No component named "${name}" (not a builtin, not bundled, not published).`, {
    hint: `Publish it with \`acr parts publish components/${COMPONENT_NAME.test(name) ? name : "<name>"}\`; \`GET /components\` lists what this executor runs.`,
    details: { component: name },
  });
}
