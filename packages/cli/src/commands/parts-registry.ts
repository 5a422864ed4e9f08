/**
 * `acr parts search|info|submit|install|approve|reject`: the registry (packages/registry) — the
 * shared catalog of components with their acceptance reports and usage statistics. Registered
 * under `acr parts` by parts.ts; where the registry is and which key goes to it: ../registry/settings.ts.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { runFeatures } from "@arcrun/core/features/index";
import { AcceptanceReportSchema, SubmissionSchema, type AcceptanceReport, type AcceptanceStep } from "@arcrun/core/registry/api";
import { ComponentPublishedSchema } from "@arcrun/core/api";
import { findComponentFolders, loadComponent } from "@arcrun/local/build/load";
import { expectAnswer } from "../answer";
import { ApiError } from "../client";
import { examples, handle, type CliContext } from "../context";
import { CliError, EXIT, usageError } from "../exit";
import type { Style } from "../format/color";
import { formatTable } from "../format/tables";
import { formatBytes, formatDuration, oneLine } from "../format/values";
import { findPartsProject } from "../parts/project";
import { REGISTRY_OPTION, registryClient } from "../registry/settings";

/** One entry of the registry's `GET /components`. */
export interface RegistryEntry {
  name: string;
  latest_version: string;
  author: string;
  category: string | null;
  description: string;
  bytes: number;
  visibility: string;
  total_runs: number;
  success_rate: number | null;
  avg_duration_ms: number | null;
}

interface RegistryOptions {
  registry?: string;
}

/** `runBuild` of parts.ts: builds the project's components (incremental). */
export type BuildStep = (ctx: CliContext, project: ReturnType<typeof findPartsProject>) => Promise<void>;

export function registerPartsRegistry(parts: Command, ctx: CliContext, build: BuildStep): void {
  parts
    .command("search")
    .description("search the registry's catalog (name, description, category) with usage statistics")
    .argument("<text>", "what to look for")
    .option("--json", "print the registry's answer {components: [...]}")
    .option(...REGISTRY_OPTION)
    .addHelpText("after", examples("acr parts search base64", "acr parts search encoding --json"))
    .action(handle(ctx, (text: string, options: RegistryOptions) => search(ctx, text, options)));

  parts
    .command("info")
    .description("a registry component: versions, sha256, usage statistics and its acceptance report")
    .argument("<name[@version]>", "component name, optionally @version (default: the newest you can see)")
    .option("--json", "print the registry's answer (contract, features, versions, stats, report)")
    .option(...REGISTRY_OPTION)
    .addHelpText("after", examples("acr parts info base64", "acr parts info slugify@1.0.0 --json"))
    .action(handle(ctx, (ref: string, options: RegistryOptions) => info(ctx, ref, options)));

  parts
    .command("submit")
    .description("build a component, run its features here, then submit it to the registry's sandbox acceptance")
    .argument("<dir>", "the component folder (contract.yaml, sources, features/)")
    .option("--json", "print the submission {id, status, visibility, report, ...}")
    .option(...REGISTRY_OPTION)
    .addHelpText(
      "after",
      examples("acr parts submit components/slugify", "acr parts submit components/slugify --json | jq .report") +
        "\nAccepted: visible and installable for you (author_only) until the registry's admin approves it (public).\n",
    )
    .action(handle(ctx, (dir: string, options: RegistryOptions) => submit(ctx, dir, options, build)));

  parts
    .command("install")
    .description("fetch a component from the registry, check its sha256 and publish it to your executor")
    .argument("<name[@version]>", "component name, optionally @version (default: the newest you can see)")
    .option("--json", "print the executor's answer {name, version, bytes, sha256, source}")
    .option(...REGISTRY_OPTION)
    .addHelpText("after", examples("acr parts install slugify", "acr parts install slugify@1.0.0 --url https://arcrun.example.workers.dev"))
    .action(handle(ctx, (ref: string, options: RegistryOptions) => install(ctx, ref, options)));

  parts
    .command("approve")
    .description("approve an accepted submission: the version becomes public (registry admin key)")
    .argument("<id>", "the submission id (`acr parts submit` prints it)")
    .option("--json", "print the submission")
    .option(...REGISTRY_OPTION)
    .action(handle(ctx, (id: string, options: RegistryOptions) => decide(ctx, id, "approve", undefined, options)));

  parts
    .command("reject")
    .description("reject an accepted submission: the version is withdrawn (registry admin key)")
    .argument("<id>", "the submission id")
    .requiredOption("--reason <text>", "why, and what to change (shown to the author)")
    .option("--json", "print the submission")
    .option(...REGISTRY_OPTION)
    .action(handle(ctx, (id: string, options: RegistryOptions & { reason: string }) => decide(ctx, id, "reject", options.reason, options)));
}

export const formatRate = (rate: number | null | undefined) => (rate === null || rate === undefined ? "-" : `${Math.round(rate * 1000) / 10}%`);

async function search(ctx: CliContext, text: string, options: RegistryOptions): Promise<number> {
  const client = registryClient(ctx, "reader", options.registry);
  const body = (await client.request("GET", "/components", { query: { q: text } })) as { components: RegistryEntry[] };
  if (ctx.json) {
    ctx.printJson(body);
    return EXIT.ok;
  }
  const style = ctx.style();
  const rows = body.components.map((c) => [
    style.bold(c.name),
    c.latest_version,
    c.author,
    c.category ?? "",
    String(c.total_runs),
    formatRate(c.success_rate),
    formatDuration(c.avg_duration_ms),
    c.visibility === "public" ? oneLine(c.description, 50) : `(${c.visibility}) ${oneLine(c.description, 40)}`,
  ]);
  if (rows.length) ctx.print(formatTable(["NAME", "VERSION", "AUTHOR", "CATEGORY", "RUNS", "SUCCESS", "AVG", "DESCRIPTION"], rows, style));
  ctx.note(`${rows.length} component${rows.length === 1 ? "" : "s"} match "${text}" in ${client.url}`);
  return EXIT.ok;
}

function splitRef(ref: string): { name: string; version?: string } {
  const at = ref.lastIndexOf("@");
  return at > 0 ? { name: ref.slice(0, at), version: ref.slice(at + 1) } : { name: ref };
}

interface Detail {
  name: string;
  version: string;
  author: string;
  visibility: string;
  sha256: string;
  bytes: number;
  published_at: string;
  submission_id: string;
  contract: Record<string, unknown>;
  features: { path: string; text: string }[];
  versions: string[];
  stats: { total_runs: number; success_rate: number | null; avg_duration_ms: number | null; days: { day: string; total_runs: number; success_rate: number | null; avg_duration_ms: number | null }[] };
  report: AcceptanceReport | null;
}

const detailPath = (ref: { name: string; version?: string }) => `/components/${encodeURIComponent(ref.name)}${ref.version ? `/${encodeURIComponent(ref.version)}` : ""}`;

async function info(ctx: CliContext, ref: string, options: RegistryOptions): Promise<number> {
  const client = registryClient(ctx, "reader", options.registry);
  const detail = (await client.request("GET", detailPath(splitRef(ref)))) as Detail;
  if (ctx.json) {
    ctx.printJson(detail);
    return EXIT.ok;
  }
  const style = ctx.style();
  const s = detail.stats;
  const lines = [
    `${style.bold(`${detail.name}@${detail.version}`)}  by ${detail.author}  (${detail.visibility})`,
    `  ${oneLine(String(detail.contract.description ?? ""), 100)}`,
    `  versions:    ${detail.versions.join(", ")}`,
    `  module:      ${formatBytes(detail.bytes)}, sha256 ${detail.sha256}`,
    `  published:   ${detail.published_at}  (submission ${detail.submission_id})`,
    `  total_runs ${s.total_runs}   success_rate ${formatRate(s.success_rate)}   avg_duration_ms ${s.avg_duration_ms ?? "-"}`,
  ];
  if (s.days.length) lines.push(`  last days:   ${s.days.slice(-7).map((d) => `${d.day} ${d.total_runs} runs ${formatRate(d.success_rate)}`).join(" · ")}`);
  ctx.print(lines.join("\n"));
  if (detail.report) ctx.print(`\nacceptance:\n${formatReport(detail.report, style)}`);
  return EXIT.ok;
}

/** One line per acceptance step, with its main figures. */
export function formatStep(step: AcceptanceStep, style: Style): string {
  const f = step.figures as Record<string, any>;
  const mark = step.passed ? style.green("✓") : f.skipped ? style.dim("-") : style.red("✗");
  const figures =
    f.skipped !== undefined
      ? `skipped: ${f.skipped}`
      : step.step === "size" && typeof f.bytes === "number"
        ? `${f.bytes} bytes (cap ${f.cap})`
        : step.step === "imports" && Array.isArray(f.imports)
          ? `${f.imports.length} imports within the allow-list; metering ${String(f.metering ?? "").split(":")[0]}; memory cap ${f.memory_cap_pages}`
          : step.step === "cold_start" && typeof f.median_ms === "number"
            ? `median ${f.median_ms} ms, max ${f.max_ms} ms over ${f.loads} fresh loads (threshold ${f.threshold_ms} ms)`
            : step.step === "features" && Array.isArray(f.scenarios)
              ? `${f.passed ?? 0} passed, ${f.failed ?? 0} failed`
              : step.step === "config_example" && f.outcome
                ? `ran as ${f.outcome} in ${f.duration_ms} ms`
                : step.step === "contract" && f.name
                  ? `${f.name}@${f.version}`
                  : "";
  const out = [`  ${mark} ${step.step.padEnd(15)} ${figures}`];
  if (step.step === "features" && Array.isArray(f.scenarios)) {
    for (const s of f.scenarios as { name: string; status: string; error?: string }[]) {
      if (s.status !== "passed") out.push(`      ${style.red("✗")} ${s.name}: ${oneLine(s.error ?? s.status, 100)}`);
    }
  }
  if (!step.passed && step.error) {
    out.push(`      ${step.error.code}: ${oneLine(step.error.message, 140)}`);
    if (step.error.hint) out.push(`      ${style.dim("fix:")} ${step.error.hint}`);
  }
  return out.join("\n");
}

export function formatReport(report: AcceptanceReport, style: Style): string {
  return report.steps.map((s) => formatStep(s, style)).join("\n");
}

async function submit(ctx: CliContext, dir: string, options: RegistryOptions, build: BuildStep): Promise<number> {
  const folderPath = resolve(ctx.io.cwd, dir);
  if (!existsSync(join(folderPath, "contract.yaml"))) {
    throw new CliError(`${join(dir, "contract.yaml")} does not exist`, { code: "contract_missing", hint: "point at a component folder; `acr parts scaffold <name>` creates one" });
  }
  const client = registryClient(ctx, "author", options.registry);
  const project = findPartsProject(folderPath);
  // 1. build (incremental: only what changed)
  ctx.note(`building ${basename(folderPath)}…`);
  await build(ctx, project);
  const folder = findComponentFolders(dirname(folderPath)).find((f) => f.dir === folderPath);
  if (!folder) throw new CliError(`${dir} is not a component folder`, { code: "contract_missing", hint: "a component folder holds contract.yaml" });
  // 2. its features, here, against the built module
  const loaded = loadComponent(folder, project.root);
  const style = ctx.style();
  if (loaded.features.length === 0) {
    throw new CliError(`${dir} has no features/*.feature`, { code: "features_failed", hint: "the registry runs every scenario of a submission; add features/<name>.feature (acr parts scaffold writes one)" });
  }
  const local = await runFeatures({ component: loaded.component, features: loaded.features });
  if (local.failed > 0) {
    for (const r of local.results.filter((r) => r.status !== "passed")) ctx.note(`  ${style.red("✗")} ${r.name} (${r.uri}:${r.line}): ${oneLine(r.error ?? r.status, 140)}`);
    throw new CliError(`${local.failed} of ${local.results.length} scenarios failed here; nothing was submitted`, { code: "features_failed", hint: `fix them (\`acr parts test ${folder.name}\`), then submit again` });
  }
  ctx.note(`  ${style.green("✓")} ${local.passed} scenario${local.passed === 1 ? "" : "s"} passed here`);
  // 3. submit: the registry runs the acceptance and answers with every step
  const contract = parseYaml(readFileSync(folder.contractPath, "utf8")) as Record<string, unknown>;
  const wasm = readFileSync(folder.wasmPath).toString("base64");
  const features = folder.featurePaths.map((path) => ({ path: relative(folder.dir, path).split("\\").join("/"), text: readFileSync(path, "utf8") }));
  ctx.note(`submitting ${contract.name}@${contract.version} to ${client.url}: contract, size, imports, cold start, features, config_example…`);
  let answer: unknown;
  try {
    answer = await client.request("POST", "/submit", { json: { contract, wasm, features } });
  } catch (error) {
    if (error instanceof ApiError && error.error.code === "submission_rejected" && !ctx.json) {
      const report = AcceptanceReportSchema.safeParse((error.error as { report?: unknown }).report);
      if (report.success) ctx.note(formatReport(report.data, style));
    }
    throw error;
  }
  const submission = expectAnswer(SubmissionSchema, answer, client.url, "answer to POST /submit");
  if (ctx.json) {
    ctx.printJson(submission);
    return EXIT.ok;
  }
  ctx.print(formatReport(submission.report, style));
  ctx.print(`${style.green("✓")} ${style.bold(`${submission.name}@${submission.version}`)} accepted (${submission.visibility}) — submission ${submission.id}`);
  ctx.note(`installable by you now (acr parts install ${submission.name}); public once approved: acr parts approve ${submission.id}`);
  return EXIT.ok;
}

async function install(ctx: CliContext, ref: string, options: RegistryOptions): Promise<number> {
  const registry = registryClient(ctx, "reader", options.registry);
  const wanted = splitRef(ref);
  const detail = (await registry.request("GET", detailPath(wanted))) as Detail;
  const bytes = await registry.bytes(`/components/${encodeURIComponent(detail.name)}/${encodeURIComponent(detail.version)}/module`);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== detail.sha256) {
    throw new CliError(`the module of ${detail.name}@${detail.version} has sha256 ${sha256}, the registry lists ${detail.sha256}; nothing was installed`, { code: "checksum_mismatch" });
  }
  const executor = ctx.client();
  const answer = await executor.request("PUT", `/components/${encodeURIComponent(detail.name)}`, { json: { contract: detail.contract, wasm: Buffer.from(bytes).toString("base64") } });
  const published = expectAnswer(ComponentPublishedSchema, answer, executor.url, "answer to PUT /components/:name");
  if (ctx.json) {
    ctx.printJson(published);
    return EXIT.ok;
  }
  const style = ctx.style();
  ctx.print(`${style.green("✓")} installed ${style.bold(`${published.name}@${published.version}`)} from ${registry.url} (sha256 ${sha256.slice(0, 12)} checked) into ${executor.url} — use it as component: ${published.name}`);
  return EXIT.ok;
}

async function decide(ctx: CliContext, id: string, action: "approve" | "reject", reason: string | undefined, options: RegistryOptions): Promise<number> {
  if (!id.trim()) throw usageError("the submission id is empty", "`acr parts submit` prints it; `acr parts info <name>` shows the submission of a version");
  const client = registryClient(ctx, "admin", options.registry);
  const answer = await client.request("PATCH", `/submit/${encodeURIComponent(id)}/${action}`, action === "reject" ? { json: { reason } } : {});
  const submission = expectAnswer(SubmissionSchema, answer, client.url, `answer to PATCH /submit/:id/${action}`);
  if (ctx.json) {
    ctx.printJson(submission);
    return EXIT.ok;
  }
  const style = ctx.style();
  ctx.print(
    action === "approve"
      ? `${style.green("✓")} ${style.bold(`${submission.name}@${submission.version}`)} approved: public in ${client.url}`
      : `${style.green("✓")} ${style.bold(`${submission.name}@${submission.version}`)} rejected (withdrawn): ${submission.reason}`,
  );
  return EXIT.ok;
}
