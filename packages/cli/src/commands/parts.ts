/**
 * `acr parts`: the components a server can run (builtins, bundled WASM, published to R2), and the
 * tools to make one: scaffold, build, test (its Gherkin features against the built module) and
 * publish (parts-publish.ts).
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { runFeatures, type ScenarioResult } from "@arcrun/core/features/index";
import { findComponentFolders, isBuilt, loadComponent, readContract, type ComponentFolder } from "@arcrun/local/build/load";
import type { BuildComponentsOptions } from "@arcrun/local/build/components.mjs";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { formatTable, listFrom } from "../format/tables";
import { formatBytes, formatDuration, oneLine } from "../format/values";
import { BUILD_SCRIPT, findPartsProject, findToolchainRoot, type PartsProject } from "../parts/project";
import { scaffoldComponent } from "../parts/scaffold";
import { registerPartsPublish } from "./parts-publish";
import { formatRate, registerPartsRegistry, type RegistryEntry } from "./parts-registry";
import { registryClient } from "../registry/settings";

interface PartView {
  name: string;
  version?: string;
  category?: string;
  description?: string;
  bytes?: number | null;
  source: string;
  /** from the registry, when it answers and lists this name at this version */
  total_runs?: number;
  success_rate?: number | null;
  avg_duration_ms?: number | null;
}

const register: RegisterCommand = (program, ctx) => {
  const parts = program
    .command("parts")
    .alias("components")
    .description("list the components a server runs; scaffold, build, test and publish your own")
    .option("--json", "print {components: [{name, version, category, description, bytes, source}]}")
    .option("--local", "list the components/ folder of this checkout instead of asking the server")
    .addHelpText(
      "after",
      examples("acr parts", "acr parts --local", "acr parts scaffold slugify", "acr parts build", "acr parts test slugify", "acr parts publish components/slugify") +
        "\nSOURCE says where the server loads a component from: builtin (part of the engine), bundled (WASM built\n" +
        "into the executor), r2 (published with `acr parts publish`, run through the Worker Loader).\n",
    )
    .action(handle(ctx, (options: { local?: boolean }) => list(ctx, Boolean(options.local))));

  parts
    .command("scaffold")
    .alias("new")
    .description("create components/<name>/ with a contract, AssemblyScript source and features that pass as written")
    .argument("<name>", "component name: lower case letters, digits, underscores")
    .option("--json", "print {name, files}")
    .addHelpText("after", examples("acr parts scaffold slugify && acr parts build && acr parts test slugify"))
    .action(handle(ctx, (name: string) => scaffold(ctx, name)));

  parts
    .command("build")
    .description("compile every component (AssemblyScript, C, a contract build: command or a prebuilt module.wasm; incremental), meter it and check it as publishing does")
    .argument("[dir]", "a folder inside the checkout (default: the current one)")
    .option("--force", "rebuild even the components that are up to date")
    .addHelpText("after", examples("acr parts build", "acr parts build --force"))
    .action(handle(ctx, (dir: string | undefined, options: { force?: boolean }) => build(ctx, dir, Boolean(options.force))));

  parts
    .command("test")
    .description("run the Gherkin features of components against their built modules (builds stale ones first)")
    .argument("[names...]", "components to test (default: all)")
    .option("--json", "print {passed, failed, results: [...]}")
    .addHelpText("after", examples("acr parts test", "acr parts test validate_json base64", "acr parts test --json | jq .failed"))
    .action(handle(ctx, (names: string[]) => test(ctx, names)));

  registerPartsPublish(parts, ctx);
  registerPartsRegistry(parts, ctx, (c, project) => runBuild(c, project, false));
};

async function list(ctx: CliContext, local: boolean): Promise<number> {
  const listed = local ? localParts(ctx) : listFrom<PartView>(await ctx.client().request("GET", "/components"), "components");
  const stats = local ? undefined : await registryStats(ctx);
  const components = stats ? listed.map((c) => withStats(c, stats)) : listed;
  if (ctx.json) {
    ctx.printJson({ components });
    return EXIT.ok;
  }
  const style = ctx.style();
  const rows = components.map((c) => [
    style.bold(c.name),
    c.version ?? "",
    c.category ?? "",
    typeof c.bytes === "number" ? formatBytes(c.bytes) : c.source === "builtin" ? "-" : "not built",
    c.source,
    ...(stats ? [c.total_runs === undefined ? "-" : String(c.total_runs), formatRate(c.success_rate), formatDuration(c.avg_duration_ms)] : []),
    oneLine(c.description ?? "", 60),
  ]);
  const header = ["NAME", "VERSION", "CATEGORY", "SIZE", "SOURCE", ...(stats ? ["RUNS", "SUCCESS", "AVG"] : []), "DESCRIPTION"];
  ctx.print(formatTable(header, rows, style));
  ctx.note(`${components.length} component${components.length === 1 ? "" : "s"}`);
  return EXIT.ok;
}

/** The registry's catalog by name, or undefined when no registry answers within 2 s (the columns are left out). */
async function registryStats(ctx: CliContext): Promise<Map<string, RegistryEntry> | undefined> {
  try {
    const client = registryClient(ctx, "reader");
    const body = (await Promise.race([client.request("GET", "/components"), new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), 2000).unref())])) as { components?: RegistryEntry[] };
    return new Map((body.components ?? []).map((c) => [c.name, c]));
  } catch {
    return undefined;
  }
}

/** A component's statistics when the registry lists it at the version the server runs. */
function withStats(part: PartView, stats: Map<string, RegistryEntry>): PartView {
  const entry = stats.get(part.name);
  if (!entry || (part.version && entry.latest_version !== part.version)) return part;
  return { ...part, total_runs: entry.total_runs, success_rate: entry.success_rate, avg_duration_ms: entry.avg_duration_ms };
}

function localParts(ctx: CliContext): PartView[] {
  const project = findPartsProject(ctx.io.cwd);
  return findComponentFolders(project.componentsDir).map((folder) => {
    try {
      const contract = readContract(folder.contractPath, ctx.io.cwd);
      const built = existsSync(folder.wasmPath) ? statSync(folder.wasmPath).size : null;
      return { name: folder.name, version: contract.version, category: contract.category, description: contract.description, bytes: built, source: "local" };
    } catch (error) {
      return { name: folder.name, description: `invalid contract: ${(error as Error).message}`, bytes: null, source: "local" };
    }
  });
}

async function scaffold(ctx: CliContext, name: string): Promise<number> {
  const { componentsDir } = findUpOrHere(ctx);
  const files = scaffoldComponent(componentsDir, name, ctx.io.cwd);
  if (ctx.json) ctx.printJson({ name, files });
  else {
    ctx.print(`created ${name}:\n${files.map((f) => `  ${f}`).join("\n")}`);
    ctx.note(`next: acr parts build && acr parts test ${name}`);
  }
  return EXIT.ok;
}

/** scaffold may start a components/ folder where there is none yet */
function findUpOrHere(ctx: CliContext): { componentsDir: string } {
  try {
    return findPartsProject(ctx.io.cwd);
  } catch {
    return { componentsDir: `${ctx.io.cwd}/components` };
  }
}

async function build(ctx: CliContext, dir: string | undefined, force: boolean): Promise<number> {
  const project = findPartsProject(dir ? resolve(ctx.io.cwd, dir) : ctx.io.cwd);
  await runBuild(ctx, project, force);
  return EXIT.ok;
}

async function runBuild(ctx: CliContext, project: PartsProject, force: boolean): Promise<void> {
  const root = findToolchainRoot(project.root);
  // progress goes to stderr: each line is one component (size, built or up to date)
  // build: commands (cargo, clang, ...) see this CLI's environment
  const env = { ...process.env, ...ctx.io.env };
  const options = { root: root ?? project.root, componentsDir: project.componentsDir, log: (line: string) => ctx.note(`  ${line}`), force, env };
  try {
    if (root) {
      // a checkout's own toolchain, by path: it is not part of the CLI bundle
      const { default: buildComponents } = (await import(pathToFileURL(join(root, BUILD_SCRIPT)).href)) as {
        default: (o: BuildComponentsOptions) => Promise<void>;
      };
      await buildComponents(options);
    } else {
      // the installed package: the build bundled into the CLI (assemblyscript, binaryen are its dependencies)
      const { buildWithPackagedToolchain } = await import("../parts/packaged-build");
      await buildWithPackagedToolchain(options);
    }
  } catch (error) {
    throw new CliError((error as Error).message, { code: "component_build_failed", hint: "fix the sources named above, then run `acr parts build` again" });
  }
}

async function test(ctx: CliContext, names: string[]): Promise<number> {
  const project = findPartsProject(ctx.io.cwd);
  const folders = selectFolders(findComponentFolders(project.componentsDir), names);
  if (folders.some((folder) => !isBuilt(folder))) {
    ctx.note("building components whose sources changed…");
    await runBuild(ctx, project, false);
  }
  const results: ScenarioResult[] = [];
  const style = ctx.style();
  for (const folder of folders) {
    const loaded = loadComponent(folder, project.root);
    if (loaded.features.length === 0) ctx.note(`${folder.name}: no features/*.feature`);
    const summary = await runFeatures({ component: loaded.component, features: loaded.features });
    results.push(...summary.results);
    if (ctx.json) continue;
    ctx.print(style.bold(`${folder.name}`) + style.dim(` ${formatBytes(loaded.bytes)}`));
    for (const result of summary.results) {
      const mark = result.status === "passed" ? style.green("✓") : style.red("✗");
      ctx.print(`  ${mark} ${result.name}${result.status === "passed" ? "" : style.dim(`  (${result.uri}:${result.line})`)}`);
      if (result.status !== "passed") ctx.print(`      ${(result.error ?? result.status).split("\n").join("\n      ")}`);
    }
  }
  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.length - passed;
  if (ctx.json) ctx.printJson({ passed, failed, results });
  else ctx.print(`\n${folders.length} component${folders.length === 1 ? "" : "s"}: ${passed} passed, ${failed} failed`);
  return failed > 0 ? EXIT.runFailed : EXIT.ok;
}

function selectFolders(all: ComponentFolder[], names: string[]): ComponentFolder[] {
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((f) => f.name === name));
  if (unknown.length > 0) {
    throw new CliError(`no component named ${unknown.join(", ")} in components/`, {
      code: "component_not_found",
      hint: `known: ${all.map((f) => f.name).join(", ") || "none"}`,
    });
  }
  return all.filter((f) => names.includes(f.name));
}

export default register;
