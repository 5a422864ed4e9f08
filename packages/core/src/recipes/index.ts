/**
 * Recipes (DESIGN § Recipes): one third-party API call as data. `loadRecipe` checks a file,
 * `runRecipe` runs it with injected fetch, clock and credential lookup.
 */
export {
  RecipeSchema,
  recipeJsonSchema,
  type Recipe,
  type RecipeInput,
  type RecipeRequest,
  type RecipeBody,
  type RecipeAuth,
  type AuthPlacement as RecipeAuthPlacement,
  type RecipeResponse,
  type RecipeRetry,
  type RecipePagination,
} from "./schema";
export { loadRecipe, mustLoadRecipe, formatRecipeIssue, authPlacements as recipeAuthPlacements, type RecipeIssue, type RecipeLoadResult } from "./load";
export { runRecipe, type RecipeClock, type RunRecipeOptions, type RecipeRunResult } from "./run";
export { memoryTokenCache, type TokenCache, type CachedToken } from "./tokens";
export { discloseRecipe, type RecipeDisclosure } from "./disclose";
export { recipeComponent, recipeContract, recipeCredentialChoices, type RecipeComponent, type RecipeComponentOptions } from "./component";
