export * from "./schema";
export { loadRecipe, mustLoadRecipe, formatRecipeIssue, authPlacements, type RecipeIssue, type RecipeLoadResult } from "./load";
export { runRecipe, withDefaults, type RecipeClock, type RunRecipeOptions, type RecipeRunResult } from "./run";
export { buildRequest, type BuiltRequest } from "./build";
export { memoryTokenCache, type TokenCache, type CachedToken } from "./tokens";
export { rawMessage } from "./values";
