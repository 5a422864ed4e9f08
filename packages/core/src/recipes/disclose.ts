/**
 * What a recipe sends where, for the push gate (`acr recipe push` prints it before asking)
 * and `acr validate`: the hosts, the credentials, and which parameters leave the account.
 */
import { collectTemplates } from "../templates/parse";
import type { Recipe } from "./schema";
import { authPlacements, placementCredentials } from "./load";

export interface RecipeDisclosure {
  /** every host the recipe may send data to (token endpoints included) */
  hosts: string[];
  /** hosts come from the node's egress too (an auth of kind url, or no hosts declared) */
  hosts_from_egress: boolean;
  credentials: { key: string; description: string }[];
  /** the parameters whose values are sent, in the order the request names them */
  fields: string[];
  /** credentials that are alternatives (a one_of auth): any one set is enough */
  credential_choices: string[][];
}

export function discloseRecipe(recipe: Recipe): RecipeDisclosure {
  const fields: string[] = [];
  for (const ref of collectTemplates(recipe.request)) {
    if (ref.root !== "params" || ref.path.length === 0) continue;
    const name = String(ref.path[0]);
    if (!fields.includes(name)) fields.push(name);
  }
  const placements = authPlacements(recipe);
  return {
    hosts: [...recipe.hosts],
    hosts_from_egress: recipe.hosts.length === 0 || placements.some((p) => p.kind === "url"),
    credentials: recipe.credentials.map((c) => ({ ...c })),
    fields,
    credential_choices: recipe.auth?.kind === "one_of" ? placements.map(placementCredentials) : placements.length ? [placements.flatMap(placementCredentials)] : [],
  };
}
