/**
 * Packages meet through their names (issue 9 § 2). Scans the import specifiers of every source
 * file git knows (tracked or new) and fails when
 *   - a relative import leaves its package (from packages/<a> into another package, scripts/ or
 *     test/; from the root's own files into packages/). The one way out of a package: the
 *     executor's generated list of built components/<name>/build/*.wasm, which are assets;
 *   - a package imports an @arcrun/* package it does not list in its package.json;
 *   - a package-name import asks for a path the target's `exports` do not declare;
 *   - packages/cli imports @arcrun/executor (the CLI speaks HTTP to the executor; it finds the
 *     bundle and the Miniflare options through @arcrun/local).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const root = join(import.meta.dirname, "..");
const SOURCE = /\.(ts|mts|mjs|js|cjs)$/;
const SKIP = /(^|\/)(node_modules|dist|build|\.wrangler)\//;
const SELF = "test/package-edges.test.ts"; // its examples of bad imports are on purpose

interface PackageInfo {
  /** "packages/cli", or "" for the repository root */
  dir: string;
  name: string;
  uses: Set<string>;
  exports?: Record<string, unknown>;
}

function readPackage(dir: string): PackageInfo {
  const json = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  return {
    dir,
    name: json.name,
    uses: new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {}), ...Object.keys(json.peerDependencies ?? {})]),
    exports: json.exports,
  };
}

function gitFiles(): string[] {
  const list = (...args: string[]) => execFileSync("git", ["ls-files", ...args], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  return [...new Set([...list(), ...list("--others", "--exclude-standard")])].filter((f) => f !== SELF && SOURCE.test(f) && !SKIP.test(f) && existsSync(join(root, f)));
}

/** Every string after `from`, `import`, `import(`, `require(`, `tsImport(`, `export … from`. */
function specifiers(text: string): { spec: string; line: number }[] {
  const found: { spec: string; line: number }[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\btsImport\s*\(\s*)(["'])([^"'\n]+)\1/g;
  for (const match of text.matchAll(pattern)) {
    found.push({ spec: match[2], line: text.slice(0, match.index).split("\n").length });
  }
  return found;
}

/** Whether `subpath` ("." or "./x/y") is one of the paths a package.json `exports` declares. */
function exported(exports: Record<string, unknown> | undefined, subpath: string): boolean {
  if (exports === undefined) return true; // no exports field: every file is reachable
  return Object.keys(exports).some((key) => {
    const star = key.indexOf("*");
    if (star < 0) return key === subpath;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    return subpath.length >= key.length - 1 && subpath.startsWith(prefix) && subpath.endsWith(suffix);
  });
}

interface Violation {
  file: string;
  line: number;
  spec: string;
  why: string;
}

/** The rules for one file's text; `packages` maps a package folder to its package.json. */
function checkFile(file: string, text: string, packages: Map<string, PackageInfo>): Violation[] {
  const owner = ownerOf(file, packages);
  const byName = new Map([...packages.values()].map((p) => [p.name, p]));
  const violations: Violation[] = [];
  for (const { spec, line } of specifiers(text)) {
    const at = (why: string) => violations.push({ file, line, spec, why });
    if (spec.startsWith(".")) {
      const target = normalize(join(dirname(file), spec));
      if (target.startsWith("..")) {
        at("leaves the repository");
        continue;
      }
      const targetOwner = ownerOf(target, packages);
      if (targetOwner === owner) continue;
      if (owner.dir !== "" && /^components\/[a-z0-9_]+\/build\/[a-z0-9_]+\.wasm$/.test(target)) continue; // a built asset
      at(`relative import from ${owner.dir || "the root"} into ${targetOwner.dir || "the root"}: import it by package name`);
      continue;
    }
    const [scope, base, ...rest] = spec.split("/");
    const name = spec.startsWith("@") ? `${scope}/${base}` : scope;
    const subpath = spec.startsWith("@") ? rest : [base, ...rest].filter((s) => s !== undefined);
    const target = byName.get(name);
    if (!target) continue; // node:, npm packages, AssemblyScript's ~lib
    if (owner.dir === "packages/cli" && name === "@arcrun/executor") at("packages/cli must not import @arcrun/executor (it speaks HTTP to it; bundle and options come from @arcrun/local)");
    if (target !== owner && !owner.uses.has(name)) at(`${name} is not listed in ${owner.dir ? owner.dir + "/" : ""}package.json`);
    const path = subpath.length === 0 ? "." : `./${subpath.join("/")}`;
    if (!exported(target.exports, path)) at(`${name} does not export "${path}"`);
  }
  return violations;
}

function ownerOf(file: string, packages: Map<string, PackageInfo>): PackageInfo {
  const match = /^packages\/[^/]+/.exec(file);
  return (match && packages.get(match[0])) || packages.get("")!;
}

function repositoryPackages(): Map<string, PackageInfo> {
  const found = execFileSync("git", ["ls-files", "packages/*/package.json"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => dirname(f));
  return new Map(["", ...found].map((dir) => [dir, readPackage(dir)]));
}

describe("package edges", () => {
  const packages = repositoryPackages();

  test("the checker itself: it catches each kind of crossing (so a clean scan means something)", () => {
    const bad = [
      'import { x } from "../../core/src/errors";',
      'import { y } from "../../../scripts/components/load";',
      'const { z } = await import("@arcrun/executor/node/miniflare-options");',
      'import { w } from "@arcrun/core/schema";',
    ].join("\n");
    const cliOnly = new Map(packages);
    cliOnly.set("packages/cli", { ...packages.get("packages/cli")!, uses: new Set(["@arcrun/local"]) });
    const found = checkFile("packages/cli/src/x.ts", bad, cliOnly).map((v) => `${v.line} ${v.why}`);
    assert.deepEqual(found, [
      "1 relative import from packages/cli into packages/core: import it by package name",
      "2 relative import from packages/cli into the root: import it by package name",
      "3 packages/cli must not import @arcrun/executor (it speaks HTTP to it; bundle and options come from @arcrun/local)",
      "3 @arcrun/executor is not listed in packages/cli/package.json",
      '3 @arcrun/executor does not export "./node/miniflare-options"',
      "4 @arcrun/core is not listed in packages/cli/package.json",
    ]);
    assert.deepEqual(checkFile("components/x.test.ts", 'import h from "../packages/executor/test/harness";', packages).map((v) => v.why), [
      "relative import from the root into packages/executor: import it by package name",
    ]);
    assert.deepEqual(checkFile("packages/executor/src/components/bundled.generated.ts", 'import m from "../../../../components/hash/build/hash.wasm";', packages), []);
  });

  test("exports patterns match as Node matches them", () => {
    const exports = { ".": "./src/index.ts", "./build/*.mjs": "./src/build/*.mjs", "./host/*": "./src/host/*.ts" };
    assert.equal(exported(exports, "."), true);
    assert.equal(exported(exports, "./host/dev-server"), true);
    assert.equal(exported(exports, "./build/meter.mjs"), true);
    assert.equal(exported(exports, "./build/load"), false);
    assert.equal(exported(exports, "./src/index.ts"), false);
  });

  test("no import crosses a package boundary except by a listed package name and a declared export", () => {
    const files = gitFiles();
    assert.ok(files.some((f) => f.startsWith("packages/cli/src/")) && files.some((f) => f.startsWith("packages/local/src/")), "the scan sees the sources");
    const violations = files.flatMap((file) => checkFile(file, readFileSync(join(root, file), "utf8"), packages));
    assert.deepEqual(violations.map((v) => `${v.file}:${v.line} "${v.spec}": ${v.why}`), []);
  });

  test("every workspace package a package.json lists exists, and the CLI lists no executor", () => {
    const names = new Set([...packages.values()].map((p) => p.name));
    for (const p of packages.values()) {
      for (const used of p.uses) if (used.startsWith("@arcrun/")) assert.ok(names.has(used), `${p.dir || "root"}/package.json lists ${used}, which is no workspace package`);
    }
    assert.equal(packages.get("packages/cli")!.uses.has("@arcrun/executor"), false);
  });
});
