#!/usr/bin/env node
// Writes packages/cli/fixtures.schema.json (the `acr test` fixtures format, for editors) from the
// schema in core (the one definition). Usage: node --import tsx scripts/fixtures-schema.mjs
// (a core test fails when the file is stale)
import { writeFileSync } from "node:fs";
import { fixturesJsonSchema } from "@arcrun/core/fixtures/schema";

const target = new URL("../packages/cli/fixtures.schema.json", import.meta.url);
writeFileSync(target, JSON.stringify(fixturesJsonSchema(), null, 2) + "\n");
console.log(`wrote ${target.pathname}`);
