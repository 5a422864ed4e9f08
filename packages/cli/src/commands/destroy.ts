/**
 * `acr destroy`: removes what `acr init --self-hosted` created on the Cloudflare account (the
 * steps recorded under `self_hosted.created` in the config: the Worker, the KV namespaces, the D1
 * database, the R2 bucket) after listing it and asking (`--yes`; no terminal and no `--yes` → exit
 * 2). Resources it reused rather than created are listed as kept. A resource already gone counts
 * as removed, so an interrupted destroy is finished by running it again. Data in them is lost.
 */
import * as prompts from "@clack/prompts";
import { cf } from "../cloudflare/api";
import { CloudflareApiError, cloudflareClient } from "../cloudflare/client";
import { readConfig, updateConfig } from "../config";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { D1_DATABASE, KV_NAMESPACES, R2_BUCKET, WORKER_NAME } from "../selfhost/desired";

interface DestroyOptions {
  yes?: boolean;
  json?: boolean;
}

interface Target {
  step: string;
  kind: string;
  name: string;
  remove: () => Promise<unknown>;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("destroy")
    .description("remove what `acr init --self-hosted` created on your Cloudflare account (after asking)")
    .option("-y, --yes", "remove without asking (scripts)")
    .option("--json", "print {account_id, removed, kept} as JSON")
    .addHelpText("after", examples("acr destroy", "acr destroy --yes --json") + "\nWorkflows, runs, credentials and published components in those resources are deleted with them.\n")
    .action(handle(ctx, (options: DestroyOptions) => destroy(ctx, options)));
};

async function destroy(ctx: CliContext, options: DestroyOptions): Promise<number> {
  const { io } = ctx;
  const loaded = readConfig(io.env);
  const record = loaded.config.self_hosted;
  if (!record?.account_id) throw new CliError(`nothing is installed according to ${loaded.path}`, { code: "not_self_hosted", hint: "acr destroy removes what `acr init --self-hosted` created" });
  const token = io.env.CLOUDFLARE_API_TOKEN?.trim();
  if (!token) throw new CliError("no Cloudflare API token: CLOUDFLARE_API_TOKEN is not set", { code: "deploy_token_missing", hint: "set CLOUDFLARE_API_TOKEN to the token you installed with" });
  const client = cloudflareClient({ token, baseUrl: io.env.CLOUDFLARE_API_BASE_URL, fetch: io.fetch });
  const accountId = record.account_id;
  const created = new Set(record.created ?? []);
  const ids = record.resources ?? {};
  const all: (Target & { id?: string })[] = [
    { step: "worker", kind: "Worker", name: WORKER_NAME, remove: () => cf.deleteScript(client, accountId, WORKER_NAME) },
    ...(Object.entries(KV_NAMESPACES) as [string, string][]).map(([binding, title]) => ({ step: `kv:${binding}`, kind: "KV namespace", name: title, id: ids[binding], remove: () => cf.deleteKv(client, accountId, ids[binding]) })),
    { step: `d1:${D1_DATABASE.binding}`, kind: "D1 database", name: D1_DATABASE.name, id: ids[D1_DATABASE.binding], remove: () => cf.deleteD1(client, accountId, ids[D1_DATABASE.binding]) },
    { step: `r2:${R2_BUCKET.binding}`, kind: "R2 bucket", name: R2_BUCKET.name, remove: () => cf.deleteR2(client, accountId, R2_BUCKET.name) },
  ];
  const targets = all.filter((t) => created.has(t.step) && (t.step === "worker" || t.step.startsWith("r2:") || t.id));
  const kept = all.filter((t) => !targets.includes(t)).map((t) => ({ kind: t.kind, name: t.name }));
  const style = ctx.style();
  if (!ctx.json) {
    ctx.note(`acr destroy on Cloudflare account ${accountId}:`);
    for (const t of targets) ctx.note(`  ${style.red("remove")}  ${t.kind.padEnd(14)} ${t.name}`);
    for (const k of kept) ctx.note(`  ${style.dim("keep")}    ${k.kind.padEnd(14)} ${k.name}${style.dim("  (not created by acr init)")}`);
  }
  if (targets.length > 0 && !options.yes) {
    if (!(io.stdoutIsTTY && process.stdin.isTTY) || ctx.json) {
      throw new CliError(`${targets.length} resource${targets.length === 1 ? "" : "s"} to remove, with their data, and no terminal to ask on`, { code: "needs_confirmation", hint: "pass --yes to remove them: acr destroy --yes" });
    }
    const answer = await prompts.confirm({ message: `Remove these ${targets.length} resources and everything in them?`, initialValue: false });
    if (prompts.isCancel(answer) || !answer) throw new CliError("cancelled; nothing was removed", { code: "cancelled" });
  }
  const removed: { kind: string; name: string }[] = [];
  for (const t of targets) {
    try {
      await t.remove();
    } catch (error) {
      // already gone (an earlier destroy cut off midway): nothing left to remove
      if (!(error instanceof CloudflareApiError && error.status === 404)) throw destroyFailure(error, t);
    }
    removed.push({ kind: t.kind, name: t.name });
    if (!ctx.json) ctx.note(`${style.green("✓")} removed  ${t.kind.padEnd(14)} ${t.name}`);
  }
  updateConfig(io.env, (config) => {
    const { self_hosted: _, ...rest } = config;
    // the CLI stops pointing at the removed executor
    return record.url && config.url === record.url ? { ...rest, mode: undefined, url: undefined, api_key: undefined } : rest;
  });
  if (ctx.json) ctx.printJson({ account_id: accountId, removed, kept });
  else ctx.print(`${style.green("✓")} removed ${removed.length} resource${removed.length === 1 ? "" : "s"} from account ${accountId}; ${loaded.path} no longer points at it`);
  return EXIT.ok;
}

function destroyFailure(error: unknown, target: Target): unknown {
  if (!(error instanceof CloudflareApiError)) return error;
  const transient = error.status === 0 || error.status === 429 || error.status >= 500;
  return new CliError(`could not remove ${target.kind} ${target.name}: ${error.message}`, {
    code: transient ? "cloudflare_unavailable" : "cloudflare_request_refused",
    hint: target.step.startsWith("r2:") && error.status === 409 ? "an R2 bucket must be empty before it is removed: delete its objects (dashboard → R2), then run acr destroy again" : "run acr destroy again: what is removed stays removed",
    details: { status: error.status, errors: error.errors },
  });
}

export default register;
