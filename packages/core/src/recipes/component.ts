/**
 * A recipe as a Component: what the loader chain hands the scheduler for `component:
 * telegram_send`. Its contract is derived from the recipe (inputs as `input_schema`, hosts
 * as `egress`, `config_example`), so compile checks missing and invalid literal parameters
 * like any component's. At run time credentials come from the node's context (the run's
 * SecretSource, decrypted at injection), and every secret runRecipe injects or obtains is
 * handed to the node's redactor.
 */
import type { Component, NodeContext } from "../components/types";
import type { Contract } from "../components/contract";
import { ArcrunError } from "../errors";
import type { Recipe } from "./schema";
import { runRecipe } from "./run";
import { memoryTokenCache, type TokenCache } from "./tokens";
import { authPlacements, placementCredentials } from "./load";

export interface RecipeComponentOptions {
  /** access tokens kept between runs (default: one cache per component, i.e. per isolate) */
  tokenCache?: TokenCache;
}

export interface RecipeComponent extends Component {
  kind: "recipe";
  recipe: Recipe;
}

export function recipeContract(recipe: Recipe): Contract {
  const example: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(recipe.config_example ?? {})) if (key !== "component") example[key] = value;
  return {
    name: recipe.name,
    version: recipe.version,
    description: recipe.description,
    input_schema: recipe.inputs,
    config_example: example,
    egress: [...recipe.hosts],
  } as Contract;
}

/**
 * The credential keys a node must have stored, or the alternative sets of a `one_of` auth
 * (any one set is enough). Keys are the recipe's; map them through the node's `credentials:`.
 */
export function recipeCredentialChoices(recipe: Recipe): string[][] {
  const placements = authPlacements(recipe);
  if (recipe.auth?.kind === "one_of") return placements.map(placementCredentials);
  const keys = new Set([...recipe.credentials.map((c) => c.key), ...placements.flatMap(placementCredentials)]);
  return keys.size ? [[...keys]] : [];
}

export function recipeComponent(recipe: Recipe, options: RecipeComponentOptions = {}): RecipeComponent {
  const tokenCache = options.tokenCache ?? memoryTokenCache();
  return {
    name: recipe.name,
    kind: "recipe",
    recipe,
    contract: recipeContract(recipe),
    async run(params, ctx: NodeContext) {
      let lookupError: ArcrunError | undefined;
      const result = await runRecipe(recipe, params, {
        credential: async (name) => {
          try {
            return ctx.credential ? await ctx.credential(name) : undefined;
          } catch (error) {
            if (error instanceof ArcrunError) lookupError = error;
            throw error;
          }
        },
        credentialNames: ctx.credentialNames,
        fetch: ctx.fetch,
        clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
        egress: ctx.egress,
        tokenCache,
        signal: ctx.signal,
        node: ctx.node,
        onSecret: (name, value) => ctx.secret?.(name, value),
      });
      for (const [name, value] of Object.entries(result.secrets)) ctx.secret?.(name, value);
      if (lookupError && !result.outcome.success) {
        return { success: false, error: { code: lookupError.code, message: `node "${ctx.node}": ${lookupError.message}`, ...(lookupError.hint ? { details: { hint: lookupError.hint } } : {}) } };
      }
      return result.outcome;
    },
  };
}
