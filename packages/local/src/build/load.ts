// Node-side loader of built components: components/<name>/{contract.yaml, build/<name>.wasm,
// features/*.feature} → a Component running through the same WASI host as the executor.
// Used by components/features.test.ts and by the CLI (`acr parts`, `acr parts test`).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseContract, type Contract } from "@arcrun/core/components/contract";
import type { Component } from "@arcrun/core/components/types";
import { wasmComponent } from "@arcrun/core/components/wasm-component";
import type { FeatureSource } from "@arcrun/core/features/parse";

export interface ComponentFolder {
  name: string;
  dir: string;
  contractPath: string;
  wasmPath: string;
  featurePaths: string[];
}

export interface LoadedComponent extends ComponentFolder {
  contract: Contract;
  /** size of the built .wasm in bytes */
  bytes: number;
  component: Component;
  features: FeatureSource[];
}

/** Every folder of `componentsDir` that has a contract.yaml, sorted by name. */
export function findComponentFolders(componentsDir: string): ComponentFolder[] {
  if (!existsSync(componentsDir)) return [];
  return readdirSync(componentsDir)
    .filter((name) => existsSync(join(componentsDir, name, "contract.yaml")))
    .sort()
    .map((name) => {
      const dir = join(componentsDir, name);
      const featuresDir = join(dir, "features");
      return {
        name,
        dir,
        contractPath: join(dir, "contract.yaml"),
        wasmPath: join(dir, "build", `${name}.wasm`),
        featurePaths: existsSync(featuresDir)
          ? readdirSync(featuresDir).filter((f) => f.endsWith(".feature")).sort().map((f) => join(featuresDir, f))
          : [],
      };
    });
}

/** Reads and validates a contract.yaml (throws `invalid_contract`). */
export function readContract(path: string, root = process.cwd()): Contract {
  return parseContract(parseYaml(readFileSync(path, "utf8")), relative(root, path));
}

/**
 * Loads one built component. Throws when the .wasm is missing (run `npm run build`), or when the
 * module fails the sandbox checks (`forbidden_import`, `unmetered_module`).
 */
export function loadComponent(folder: ComponentFolder, root = process.cwd()): LoadedComponent {
  const contract = readContract(folder.contractPath, root);
  if (!existsSync(folder.wasmPath)) {
    throw new Error(`${relative(root, folder.wasmPath)} is missing: build the components with \`npm run build\` (or \`acr parts build\`).`);
  }
  const bytes = readFileSync(folder.wasmPath);
  const component = wasmComponent({ module: new WebAssembly.Module(bytes), contract, wasm: bytes });
  return {
    ...folder,
    contract,
    bytes: bytes.length,
    component,
    features: folder.featurePaths.map((path) => ({ uri: relative(root, path), text: readFileSync(path, "utf8") })),
  };
}

/**
 * True when the component's .wasm was made by the build (its build/<name>.build.json exists) and is
 * newer than every file it may come from: the contract, and the folder's sources of any toolchain
 * (all files but build/, features/, target/, node_modules/ and dot-folders).
 */
export function isBuilt(folder: ComponentFolder): boolean {
  if (!existsSync(folder.wasmPath) || !existsSync(join(folder.dir, "build", `${folder.name}.build.json`))) return false;
  const built = statSync(folder.wasmPath).mtimeMs;
  return sourceFiles(folder.dir).every((f) => statSync(f).mtimeMs <= built);
}

const NOT_SOURCES = new Set(["build", "features", "target", "node_modules"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || (NOT_SOURCES.has(entry.name) && entry.isDirectory())) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}
