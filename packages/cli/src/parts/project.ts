/**
 * Where `acr parts` finds components and the toolchain that builds them. Components live in the
 * nearest `components/` folder up from the working directory; they are compiled by an arcrun
 * checkout's build (packages/local/src/build/components.mjs with assemblyscript and binaryen installed):
 * the checkout around the project, else the one this CLI runs from; outside any checkout (the
 * installed package) by the same build bundled into the CLI (packaged-build.ts).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../exit";
import { findUp } from "../local-components";

export const BUILD_SCRIPT = "packages/local/src/build/components.mjs";

export interface PartsProject {
  /** the folder holding `components/` */
  root: string;
  componentsDir: string;
}

export function findPartsProject(cwd: string): PartsProject {
  const componentsDir = findUp(cwd, "components");
  if (!componentsDir) {
    throw new CliError(`no components/ folder in ${cwd} or above it`, {
      code: "no_components_folder",
      hint: "run this inside an arcrun checkout, or create a component with `acr parts scaffold <name>`",
    });
  }
  return { root: dirname(componentsDir), componentsDir };
}

/** The arcrun checkout that can build components for `projectRoot`, if there is one. */
export function findToolchainRoot(projectRoot: string): string | undefined {
  for (const start of [projectRoot, dirname(fileURLToPath(import.meta.url))]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, BUILD_SCRIPT)) && existsSync(join(dir, "node_modules/assemblyscript"))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}
