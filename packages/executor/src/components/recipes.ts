/**
 * Recipes in the loader chain: the standard recipes bundled into the Worker at build time
 * (recipes.generated.ts, from recipes/*.yaml) and those stored by `acr recipe push`
 * (KV `WEBHOOKS` as `recipe:{name}`, YAML text). Each becomes core's recipe Component; a
 * bundled one is checked once per isolate, a stored one when it is read.
 */
import { loadRecipe, recipeComponent, type ComponentResolver, type KeyValueStore, type RecipeComponent } from "@arcrun/core";
import { BUNDLED_RECIPES } from "./recipes.generated";

export const RECIPE_PREFIX = "recipe:";

export function bundledRecipeResolver(texts: Record<string, string> = BUNDLED_RECIPES): ComponentResolver {
  const ready = new Map<string, RecipeComponent>();
  return {
    async resolve(name) {
      if (!Object.prototype.hasOwnProperty.call(texts, name)) return undefined;
      let component = ready.get(name);
      if (!component) {
        const loaded = loadRecipe(texts[name]);
        if (!loaded.ok) return undefined; // recipes/standard.test.ts keeps every bundled recipe valid
        component = recipeComponent(loaded.recipe);
        ready.set(name, component);
      }
      return component;
    },
    async list() {
      return Object.keys(texts);
    },
  };
}

/** Stored recipes: YAML text under `recipe:{name}`. */
export function storedRecipes(kv: KeyValueStore) {
  return {
    get: (name: string) => kv.get(RECIPE_PREFIX + name),
    put: (name: string, text: string) => kv.put(RECIPE_PREFIX + name, text),
    delete: (name: string) => kv.delete(RECIPE_PREFIX + name),
    async names() {
      return (await kv.keys(RECIPE_PREFIX)).map((key) => key.slice(RECIPE_PREFIX.length)).sort();
    },
  };
}

export function storedRecipeResolver(kv: KeyValueStore): ComponentResolver {
  const store = storedRecipes(kv);
  return {
    async resolve(name) {
      const text = await store.get(name);
      if (text === null || text === undefined) return undefined;
      const loaded = loadRecipe(text);
      return loaded.ok ? recipeComponent(loaded.recipe) : undefined;
    },
    list: () => store.names(),
  };
}
