#!/usr/bin/env node
// `acr`: the bundle is built by packages/local/src/build/cli.mjs (npm install runs it through `prepare`).
import { existsSync } from "node:fs";

const bundle = new URL("../dist/acr.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("error: the arcrun CLI is not built yet\nhint: run `npm run build` in the arcrun folder\n");
  process.exit(2);
}
await import(bundle.href);
