#!/usr/bin/env node
// `acr`: the bundle is built by packages/local/src/build/cli.mjs (npm install runs it through `prepare`).
// Written for any Node: the version check comes before anything that needs Node 20.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  process.stderr.write(`error: arcrun needs Node.js 20.3 or newer; this is Node ${process.versions.node}\nhint: install a current Node (https://nodejs.org, or \`nvm install 20\`), then run acr again\n`);
  process.exit(2);
}
const bundle = new URL("../dist/acr.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("error: the arcrun CLI is not built yet\nhint: run `npm run build` in the arcrun folder\n");
  process.exit(2);
}
await import(bundle.href);
