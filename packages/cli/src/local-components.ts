/**
 * The components `acr validate` knows without a server: the builtins from core, the
 * project's `components/<name>/contract.yaml` and `recipes/*.yaml` (nearest folders up from
 * the workflow file). Validation only needs names and contracts, so nothing here runs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { createBuiltins, type Component, type ComponentResolver, type Contract } from "@arcrun/core";

export interface LocalComponents {
  resolver: ComponentResolver;
  /** problems reading contracts: printed as warnings, never fatal */
  warnings: string[];
  /** the folders looked at, for messages */
  componentsDir?: string;
  recipesDir?: string;
}

export async function loadLocalComponents(startDir: string): Promise<LocalComponents> {
  const byName = new Map<string, Component>();
  const warnings: string[] = [];
  for (const component of builtinComponents()) byName.set(component.name, component);

  // every components/ folder from the workflow's folder up (examples/components holds the Rust
  // proof; the project's own library is further up): the nearest one wins a name
  const componentsDirs = findAllUp(startDir, "components");
  const componentsDir = componentsDirs[0];
  for (const dir of componentsDirs) {
    for (const entry of safeReaddir(dir)) {
      const file = join(dir, entry, "contract.yaml");
      if (!existsSync(file)) continue;
      const contract = readYaml<Contract>(file, warnings);
      const name = typeof contract?.name === "string" ? contract.name : entry;
      if (!byName.has(name)) byName.set(name, stub(name, "wasm", contract));
    }
  }
  const recipesDir = findUp(startDir, "recipes");
  if (recipesDir) {
    for (const entry of safeReaddir(recipesDir)) {
      if (!/\.ya?ml$/.test(entry)) continue;
      const recipe = readYaml<{ name?: unknown }>(join(recipesDir, entry), warnings);
      const name = typeof recipe?.name === "string" ? recipe.name : basename(entry).replace(/\.ya?ml$/, "");
      if (!byName.has(name)) byName.set(name, stub(name, "recipe", recipe as Contract | undefined));
    }
  }
  return {
    resolver: {
      resolve: async (name) => byName.get(name),
      list: async () => [...byName.keys()].sort(),
    },
    warnings,
    componentsDir,
    recipesDir,
  };
}

/** Core's builtins, for their names, contracts and branch labels; validation never runs them. */
function builtinComponents(): Component[] {
  return createBuiltins({ loadQuickJS: () => Promise.reject(new Error("acr validate does not run code")) });
}

function stub(name: string, kind: Component["kind"], contract: Contract | undefined): Component {
  return {
    name,
    kind,
    contract: contract && typeof contract === "object" ? contract : undefined,
    run: async () => ({ success: false, error: { code: "not_runnable", message: `${name} is only known by its contract here` } }),
  };
}

/** Every `<dir>/<name>` folder from `start` up to the filesystem root, nearest first. */
export function findAllUp(start: string, name: string): string[] {
  const found: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) found.push(candidate);
    if (dirname(dir) === dir) return found;
  }
}

/** The nearest `<dir>/<name>` folder, from `start` up to the filesystem root. */
export function findUp(start: string, name: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, name);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readYaml<T>(file: string, warnings: string[]): T | undefined {
  try {
    return parseYaml(readFileSync(file, "utf8")) as T;
  } catch (error) {
    warnings.push(`skipped ${file}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}
