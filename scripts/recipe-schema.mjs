#!/usr/bin/env node
// Writes recipes/recipe.schema.json from the recipe schema in core (the one definition).
// Usage: node --import tsx scripts/recipe-schema.mjs   (a core test fails when the file is stale)
import { writeFileSync } from "node:fs";
import { recipeJsonSchema } from "@arcrun/core/recipes/schema";

const target = new URL("../recipes/recipe.schema.json", import.meta.url);
writeFileSync(target, JSON.stringify(recipeJsonSchema(), null, 2) + "\n");
console.log(`wrote ${target.pathname}`);
