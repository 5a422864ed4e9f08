/**
 * Recipes (DESIGN § Recipes):
 *   GET    /recipes          standard (bundled) and stored recipes, with what each sends where
 *   GET    /recipes/:name    one, with its YAML
 *   PUT    /recipes/:name    YAML body → 201 created | 200 updated; refused 422 invalid_recipe with line/column/fix
 *   DELETE /recipes/:name    stored ones only; 409 recipe_in_use naming the stored workflows that use it
 * Stored recipes live in KV `WEBHOOKS` as `recipe:{name}`. The push gate (hosts, credentials,
 * fields) is the CLI's; this route only checks and stores.
 */
import { Hono, type Context } from "hono";
import { arcrunError, COMPONENT_NAME, discloseRecipe, formatRecipeIssue, loadRecipe, RecipePutSchema, type Recipe, type RecipeSummary } from "@arcrun/core";
import { parseSource } from "@arcrun/core/workflow/parse-source";
import type { AppEnv } from "../env";
import { bodyKind, readBody, unsupportedType } from "../request";
import { kvKeyValueStore } from "../bindings/kv-key-value";
import { storedRecipes } from "../components/recipes";
import { BUNDLED_RECIPES } from "../components/recipes.generated";

const ACCEPTED = "the recipe as YAML with `Content-Type: text/yaml` (curl: -H 'content-type: text/yaml' --data-binary @my_recipe.yaml), or JSON {\"yaml\": \"...\"}";

const store = (c: Context<AppEnv>) => storedRecipes(kvKeyValueStore(c.env.WEBHOOKS));
const isStandard = (name: string) => Object.prototype.hasOwnProperty.call(BUNDLED_RECIPES, name);

function summary(recipe: Recipe, source: RecipeSummary["source"]): RecipeSummary {
  const { hosts, credentials, fields, credential_choices, hosts_from_egress } = discloseRecipe(recipe);
  return { name: recipe.name, version: recipe.version, description: recipe.description, source, hosts, credentials, fields, credential_choices, hosts_from_egress };
}

async function find(c: Context<AppEnv>, name: string): Promise<{ recipe: Recipe; yaml: string; source: RecipeSummary["source"] }> {
  const yaml = isStandard(name) ? BUNDLED_RECIPES[name] : COMPONENT_NAME.test(name) ? await store(c).get(name) : null;
  const loaded = yaml ? loadRecipe(yaml) : undefined;
  if (!yaml || !loaded?.ok) {
    throw arcrunError("recipe_not_found", `No recipe named "${name}".`, { hint: "`GET /recipes` (or `acr recipe list`) shows them; `acr recipe push <file>` stores one." });
  }
  return { recipe: loaded.recipe, yaml, source: isStandard(name) ? "standard" : "stored" };
}

export const recipes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const list: RecipeSummary[] = [];
    for (const name of Object.keys(BUNDLED_RECIPES).sort()) {
      const loaded = loadRecipe(BUNDLED_RECIPES[name]);
      if (loaded.ok) list.push(summary(loaded.recipe, "standard"));
    }
    const kv = store(c);
    for (const name of await kv.names()) {
      const text = await kv.get(name);
      const loaded = text ? loadRecipe(text) : undefined;
      if (loaded?.ok) list.push(summary(loaded.recipe, "stored"));
    }
    return c.json({ recipes: list });
  })
  .get("/:name", async (c) => {
    const { recipe, yaml, source } = await find(c, c.req.param("name"));
    return c.json({ ...summary(recipe, source), yaml });
  })
  .put("/:name", async (c) => {
    const name = c.req.param("name");
    const kind = bodyKind(c);
    if (kind === "empty") throw arcrunError("invalid_request", "The request body is empty; a recipe was expected.", { hint: `Send ${ACCEPTED}.` });
    if (kind === "other") unsupportedType(c, ACCEPTED);
    const yaml = kind === "json" ? (await readBody(c, RecipePutSchema, { message: "A JSON body for PUT /recipes/:name needs a `yaml` string field.", hint: `Send ${ACCEPTED}.` })).yaml : await c.req.text();
    const loaded = loadRecipe(yaml);
    if (!loaded.ok) {
      throw arcrunError("invalid_recipe", `The recipe is invalid: ${loaded.issues.map(formatRecipeIssue).join("; ")}`, {
        details: { issues: loaded.issues },
      });
    }
    if (loaded.recipe.name !== name) {
      throw arcrunError("name_mismatch", `The URL names "${name}" but the recipe is named "${loaded.recipe.name}".`, { hint: `PUT it to /recipes/${loaded.recipe.name}.` });
    }
    const taken = isStandard(name) || (await c.get("services").resolver.resolve(name).then((component) => component !== undefined && component.kind !== "recipe", () => false));
    if (taken) {
      throw arcrunError("recipe_not_replaceable", `"${name}" is already a ${isStandard(name) ? "standard recipe" : "component"} of this executor.`, {
        hint: `Name your recipe differently, e.g. ${name}_custom.`,
      });
    }
    const kv = store(c);
    const existed = (await kv.get(name)) !== null;
    await kv.put(name, yaml);
    return c.json({ ...summary(loaded.recipe, "stored"), status: existed ? "updated" : "created" }, existed ? 200 : 201);
  })
  .delete("/:name", async (c) => {
    const name = c.req.param("name");
    const { source } = await find(c, name);
    if (source === "standard") {
      throw arcrunError("recipe_not_replaceable", `"${name}" is a standard recipe bundled into the executor; it cannot be removed.`, { hint: "Only recipes stored with `acr recipe push` can be removed." });
    }
    const users: string[] = [];
    for (const workflow of await c.get("services").workflows.list()) if (usesComponent(workflow.yaml, name)) users.push(workflow.name);
    if (users.length > 0) {
      throw arcrunError("recipe_in_use", `Recipe "${name}" is used by stored workflow${users.length > 1 ? "s" : ""} ${users.join(", ")}.`, {
        details: { workflows: users },
      });
    }
    await store(c).delete(name);
    return c.json({ name, deleted: true as const });
  });

function usesComponent(yaml: string, name: string): boolean {
  const parsed = parseSource(yaml);
  const config = (parsed.data as { config?: Record<string, { component?: unknown }> } | undefined)?.config;
  return !!config && typeof config === "object" && Object.values(config).some((node) => node && typeof node === "object" && node.component === name);
}
