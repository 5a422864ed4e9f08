/**
 * `acr deploy` (and `acr init --self-hosted`, which calls `selfHosted` here): arcrun on the user's
 * own Cloudflare account through the REST API (src/selfhost/install.ts). Shows the plan, asks
 * (`--yes` for scripts; no terminal and no `--yes` → exit 2), carries it out; `--dry-run` shows
 * the plan only; `--json` prints one document. Secrets (the token, the keys) are never printed.
 */
import * as prompts from "@clack/prompts";
import { packageAssets } from "../assets";
import { cf } from "../cloudflare/api";
import { CloudflareApiError, cloudflareClient } from "../cloudflare/client";
import { readConfig } from "../config";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { readMigrations, readWorkerModules } from "../selfhost/desired";
import { AccessProblem, apply, changes, inspect, planSteps, workerUrl, type PlanItem, type StepResult } from "../selfhost/install";
import { VERSION } from "../version";

export interface SelfHostedOptions {
  accountId?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;

export function selfHostedOptions(command: import("commander").Command): import("commander").Command {
  return command
    .option("--account-id <id>", "the Cloudflare account (default: $CLOUDFLARE_ACCOUNT_ID, else the one installed before)")
    .option("--dry-run", "show the plan and change nothing")
    .option("-y, --yes", "go ahead without asking (scripts)")
    .option("--json", "print {account_id, dry_run, plan, results, url} as JSON");
}

const register: RegisterCommand = (program, ctx) => {
  selfHostedOptions(
    program
      .command("deploy")
      .description("deploy this arcrun version to your Cloudflare account again (after `acr init --self-hosted`; for upgrades)"),
  )
    .addHelpText(
      "after",
      examples("acr deploy --dry-run", "npm i -g arcrun@latest && acr deploy --yes") +
        "\nUses CLOUDFLARE_API_TOKEN; CLOUDFLARE_API_BASE_URL points at another API endpoint (a proxy).\n" +
        "Exit codes: 0 done (or nothing to do) · 1 Cloudflare failed (run again to resume) · 2 needs --yes, bad token, missing permission or usage.\n",
    )
    .action(handle(ctx, (options: SelfHostedOptions) => selfHosted(ctx, options, "deploy")));
};

export async function selfHosted(ctx: CliContext, options: SelfHostedOptions, mode: "init" | "deploy"): Promise<number> {
  const { io } = ctx;
  const loaded = readConfig(io.env);
  const record = loaded.config.self_hosted;
  if (mode === "deploy" && !record?.account_id) {
    throw new CliError(`nothing is installed yet according to ${loaded.path}`, { code: "not_self_hosted", hint: "install first: acr init --self-hosted" });
  }
  const accountId = (options.accountId ?? io.env.CLOUDFLARE_ACCOUNT_ID ?? record?.account_id ?? "").trim();
  if (!accountId) throw new CliError("which Cloudflare account? no --account-id and no CLOUDFLARE_ACCOUNT_ID", { code: "cloudflare_account_invalid", hint: "find the account id on the dashboard's Workers & Pages overview, then: acr init --self-hosted --account-id <id>" });
  if (!ACCOUNT_ID.test(accountId)) throw new CliError(`"${accountId}" is not a Cloudflare account id`, { code: "cloudflare_account_invalid", hint: "an account id is 32 hexadecimal characters (dashboard → Workers & Pages → Account ID)" });
  const token = await apiToken(ctx, options);
  const client = cloudflareClient({ token, baseUrl: io.env.CLOUDFLARE_API_BASE_URL, fetch: io.fetch });
  const assets = packageAssets();

  try {
    await verifyToken(client, accountId);
    const state = await inspect(client, {
      accountId,
      config: loaded.config,
      configPath: loaded.path,
      env: io.env,
      modules: readWorkerModules(assets.executorScript.replace(/[\\/]worker\.js$/, "")),
      migrations: readMigrations(assets.migrations.executor),
      version: VERSION,
    });
    const plan = planSteps(state);
    const todo = changes(plan);
    if (options.dryRun) {
      if (ctx.json) ctx.printJson({ account_id: accountId, dry_run: true, plan, url: workerUrl(state) ?? null });
      else printPlan(ctx, accountId, plan, true);
      return EXIT.ok;
    }
    if (!ctx.json) printPlan(ctx, accountId, plan, false);
    if (todo.length > 0 && !options.yes) await confirm(ctx, todo.length, mode);
    const results: StepResult[] = [];
    const style = ctx.style();
    const { url } = await apply(client, state, plan, (result) => {
      results.push(result);
      if (!ctx.json) {
        const mark = result.status === "unchanged" ? style.dim("·") : style.green("✓");
        ctx.note(`${mark} ${result.status.padEnd(9)} ${result.kind.padEnd(20)} ${result.name}${result.id ? style.dim(`  (id ${result.id})`) : ""}`);
      }
    });
    if (ctx.json) {
      ctx.printJson({ account_id: accountId, dry_run: false, plan, results, url: url ?? null, config: loaded.path });
      return EXIT.ok;
    }
    const created = results.filter((r) => r.status !== "unchanged").length;
    ctx.print(created === 0 ? `${style.green("✓")} arcrun on account ${accountId}: everything unchanged` : `${style.green("✓")} arcrun ${VERSION} deployed to account ${accountId} (${created} change${created === 1 ? "" : "s"})`);
    if (url) {
      ctx.print(`  executor  ${style.bold(url)}   (GET ${url}/health)`);
      ctx.print(`  config    ${loaded.path}: url and API key written; acr commands now talk to it`);
      ctx.print(`  next      acr push examples/hello.yaml · acr creds push · acr logs`);
    } else {
      ctx.print("  the account has no workers.dev subdomain: register one (dashboard → Workers & Pages), then run `acr deploy` again for the URL");
    }
    return EXIT.ok;
  } catch (error) {
    throw asCliError(error, accountId);
  }
}

async function apiToken(ctx: CliContext, options: SelfHostedOptions): Promise<string> {
  const token = ctx.io.env.CLOUDFLARE_API_TOKEN?.trim();
  if (token) return token;
  if (!options.json && !options.yes && ctx.io.stdoutIsTTY && process.stdin.isTTY) {
    const answer = await prompts.password({ message: "Cloudflare API token (needs Workers Scripts, Workers KV Storage, D1 and Workers R2 Storage: Edit)" });
    if (prompts.isCancel(answer) || !answer) throw new CliError("cancelled; nothing was changed", { code: "cancelled" });
    return answer.trim();
  }
  throw new CliError("no Cloudflare API token: CLOUDFLARE_API_TOKEN is not set", {
    code: "deploy_token_missing",
    hint: "create one (dashboard → My Profile → API Tokens, template \"Edit Cloudflare Workers\" plus D1 Edit), then: CLOUDFLARE_API_TOKEN=... acr init --self-hosted",
  });
}

/** /user/tokens/verify (user tokens), else /accounts/:id/tokens/verify (account-owned tokens). */
async function verifyToken(client: ReturnType<typeof cloudflareClient>, accountId: string): Promise<void> {
  let status: string;
  try {
    status = (await cf.verifyUserToken(client)).status;
  } catch (error) {
    if (!(error instanceof CloudflareApiError) || (error.status !== 401 && error.status !== 403)) throw error;
    try {
      status = (await cf.verifyAccountToken(client, accountId)).status;
    } catch (second) {
      if (second instanceof CloudflareApiError && second.status < 500 && second.status !== 429) {
        throw new CliError("Cloudflare does not accept the API token in CLOUDFLARE_API_TOKEN", {
          code: "deploy_token_invalid",
          hint: "check that it is the token itself (not its id or a Global API Key) and that it has not expired or been revoked",
          details: { errors: error.errors },
        });
      }
      throw second;
    }
  }
  if (status !== "active") {
    throw new CliError(`the API token is ${status}, not active`, { code: "deploy_token_invalid", hint: "create a new token, or lift its restrictions (expiry, start date, IP filter)" });
  }
}

function printPlan(ctx: CliContext, accountId: string, plan: PlanItem[], dryRun: boolean): void {
  const style = ctx.style();
  const out = dryRun ? (t: string) => ctx.print(t) : (t: string) => ctx.note(t);
  out(`${dryRun ? "plan (dry run: nothing changes)" : "plan"} for arcrun on Cloudflare account ${accountId}:`);
  for (const item of plan) {
    const action = item.action === "create" ? style.green(item.action.padEnd(9)) : item.action === "update" ? style.yellow(item.action.padEnd(9)) : style.dim(item.action.padEnd(9));
    out(`  ${action} ${item.kind.padEnd(20)} ${item.name}${item.detail ? style.dim(`  ${item.detail}`) : ""}`);
  }
  const todo = changes(plan).length;
  out(todo === 0 ? "nothing to change" : `${todo} change${todo === 1 ? "" : "s"}`);
}

async function confirm(ctx: CliContext, count: number, mode: string): Promise<void> {
  if (!(ctx.io.stdoutIsTTY && process.stdin.isTTY) || ctx.json) {
    throw new CliError(`${count} change${count === 1 ? "" : "s"} to make on your Cloudflare account, and no terminal to ask on`, {
      code: "needs_confirmation",
      hint: `pass --yes to go ahead (acr ${mode === "init" ? "init --self-hosted" : "deploy"} --yes), or --dry-run to see the plan only`,
    });
  }
  const answer = await prompts.confirm({ message: `Make these ${count} change${count === 1 ? "" : "s"} on your Cloudflare account?`, initialValue: false });
  if (prompts.isCancel(answer) || !answer) throw new CliError("cancelled; nothing was changed", { code: "cancelled" });
}

function asCliError(error: unknown, accountId: string): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof AccessProblem) {
    if (error.wrongAccount) {
      return new CliError(error.message, { code: "cloudflare_account_invalid", hint: `check the account id (${accountId}) on the dashboard, and that the token was made for that account` });
    }
    return new CliError(error.message, {
      code: "cloudflare_permission_missing",
      lines: error.missing.map((p) => `  missing: ${p}`),
      hint: "edit the token (dashboard → My Profile → API Tokens), add the permissions listed, then run the same command again",
      details: { missing_permissions: error.missing },
    });
  }
  if (error instanceof CloudflareApiError) {
    const transient = error.status === 0 || error.status === 429 || error.status >= 500;
    if (transient) {
      return new CliError(`${error.message}; gave up after retries`, { code: "cloudflare_unavailable", hint: "run the same command again: what is done stays done, and it resumes with the rest", details: { status: error.status, errors: error.errors } });
    }
    const permission = error.status === 403 ? " (the token may lack the Edit permission for it)" : "";
    return new CliError(`${error.message}${permission}`, { code: "cloudflare_request_refused", hint: "fix what the message names, then run the same command again", details: { status: error.status, errors: error.errors } });
  }
  return error;
}

export default register;
