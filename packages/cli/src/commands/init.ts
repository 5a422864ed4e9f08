/**
 * `acr init`: set this machine up — the encryption key (asked for or generated) and the
 * executor to talk to — in the arcrun config (`~/.arcrun/config.json` or ARCRUN_CONFIG, mode
 * 0600). The local server (`npm start`) reads the same key from there. Running it again
 * keeps what exists; `--force` replaces it. Asks with prompts on a terminal; flags (or
 * `--yes` for the defaults) make it scriptable.
 */
import * as prompts from "@clack/prompts";
import type { Command } from "commander";
import { base64ToBytes } from "@arcrun/core/crypto/base64";
import { ENCRYPTION_KEY_BYTES, generateEncryptionKey, parseEncryptionKey } from "@arcrun/core/crypto/key";
import { readConfig, writeConfig, type ArcrunConfig } from "../config";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { cliErrors } from "../credentials/errors";
import { gitHygieneWarnings } from "../credentials/git-hygiene";
import { CliError, EXIT, usageError } from "../exit";
import { isLoopback, parseServerUrl } from "../settings";
import { selfHosted } from "./deploy";
import { DEFAULT_TOKEN_ENV, registerTenant } from "../tenant/register";

interface InitOptions {
  mode?: "local" | "standard";
  url?: string;
  key?: string;
  apiKey?: string;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("init")
    .description("create the encryption key and choose the executor (writes ~/.arcrun/config.json, mode 0600)")
    .option("--local", "use the local server on this machine (`npm start`) (default)")
    .option("--standard", "use an executor that already runs elsewhere: give its URL with the global --url, and --api-key")
    .option("--key <base64>", "use this encryption key (32 random bytes, base64) instead of generating one; ARCRUN_ENCRYPTION_KEY works too")
    .option("--api-key <key>", "the executor's API key (standard mode)")
    .option("--self-hosted", "install arcrun on your own Cloudflare account (KV, D1, R2, the Worker, its secrets and cron); see `acr deploy --help`")
    .option("--auth-url <url>", "with --standard: register with this shared deployment's auth Worker (writes api_key and data_key)")
    .option("--email <address>", "with --auth-url: your email")
    .option("--account-id <id>", "with --self-hosted or --auth-url: the Cloudflare account (default: $CLOUDFLARE_ACCOUNT_ID)")
    .option("--namespace-id <id>", "with --auth-url: the KV namespace on your account that holds your credentials")
    .option("--token-env <name>", `with --auth-url: the variable holding your read-only KV token (default ${DEFAULT_TOKEN_ENV}); sent only in the CF-Api-Token header`)
    .option("--dry-run", "with --self-hosted: show the plan and change nothing")
    .option("-y, --yes", "ask nothing: keep what exists, generate what is missing")
    .option("--force", "replace existing values with the given or newly generated ones")
    .option("--json", "print {path, mode, url, key_id, created, kept, warnings} as JSON")
    .addHelpText(
      "after",
      examples("acr init", "acr init --yes", "acr init --standard --url https://arcrun.example.com --api-key $KEY --yes",
        "CF_KV_READ_TOKEN=... acr init --standard --url https://arcrun.example.com --auth-url https://auth.example.com --email me@example.com --account-id <id> --namespace-id <id>", "CLOUDFLARE_API_TOKEN=... acr init --self-hosted --account-id <id> --dry-run") +
        "\nThe key never leaves the config file; commands print only its id. Replacing it with --force makes\n" +
        "stored credentials undecryptable: use `acr creds rotate-key` to change the key of a working setup.\n",
    )
    .action(handle(ctx, (options: InitOptions & { local?: boolean; standard?: boolean; selfHosted?: boolean; accountId?: string; dryRun?: boolean; authUrl?: string; email?: string; namespaceId?: string; tokenEnv?: string }, command: Command) => {
      const registering = options.authUrl !== undefined;
      if ((options.email || options.namespaceId || options.tokenEnv) && !registering) throw usageError("--email, --namespace-id and --token-env go with --standard --auth-url");
      if (registering) {
        if (!options.standard || options.local || options.selfHosted) throw usageError("--auth-url registers with a shared deployment: use it with --standard (and --url)");
        if (options.apiKey || options.key || options.dryRun) throw usageError("--api-key, --key and --dry-run do not go with --auth-url: the auth Worker gives you the API key and the data key");
        const url = command.optsWithGlobals<{ url?: string }>().url;
        return registerTenant(ctx, { url, authUrl: options.authUrl!, email: options.email, accountId: options.accountId, namespaceId: options.namespaceId, tokenEnv: options.tokenEnv, yes: options.yes, force: options.force });
      }
      if (options.selfHosted) {
        if (options.standard || options.local || options.url) throw usageError("--self-hosted installs its own executor: leave out --local, --standard and --url");
        return selfHosted(ctx, { accountId: options.accountId, yes: options.yes, dryRun: options.dryRun, json: options.json }, "init");
      }
      if (options.accountId || options.dryRun) throw usageError("--account-id and --dry-run go with --self-hosted");
      // --url is the program's global option (commander gives it to the program wherever it is typed)
      return init(ctx, { ...options, url: command.optsWithGlobals<{ url?: string }>().url, mode: options.standard ? "standard" : options.local ? "local" : undefined });
    }));
};

async function init(ctx: CliContext, options: InitOptions): Promise<number> {
  const { io } = ctx;
  const loaded = readConfig(io.env);
  const old = loaded.config;
  if (old.encryption_key_next || old.encryption_key_previous) {
    throw new CliError("a key rotation is under way in this config", { code: "rotation_in_progress", hint: "finish it with `acr creds rotate-key` (or `--abort`) before running init" });
  }
  const interactive = !options.yes && !options.json && io.stdoutIsTTY && Boolean(process.stdin.isTTY);
  if (interactive) prompts.intro("arcrun init");
  const kept: string[] = [];
  const created: string[] = [];
  const pick = <T>(field: string, existing: T | undefined, given: T | undefined): T | undefined => {
    if (existing === undefined || existing === given) return given ?? existing;
    if (given === undefined) return kept.push(field), existing;
    if (!options.force) {
      throw new CliError(`${loaded.path} already has a different ${field}`, {
        code: "config_exists",
        hint: field === "encryption_key"
          ? "keep it (run without --key), or replace it with --force: credentials stored with the old key will no longer decrypt (to change the key of a working setup use `acr creds rotate-key`)"
          : `keep it (leave out the flag), or replace it with --force`,
      });
    }
    return given;
  };

  let mode = pick("mode", old.mode, options.mode);
  if (!mode && options.url && !isLoopback(parseServerUrl(options.url))) mode = "standard";
  if (!mode) mode = interactive ? await ask(() => prompts.select({
    message: "Where will your workflows run?",
    options: [
      { value: "local" as const, label: "On this machine", hint: "npm start / acr dev" },
      { value: "standard" as const, label: "On an executor that already runs elsewhere", hint: "its URL and API key" },
    ],
  })) : "local";

  let url = pick("url", old.url, options.url === undefined ? undefined : parseServerUrl(options.url));
  let apiKey = pick("api_key", old.api_key, options.apiKey);
  if (mode === "standard" && !url) {
    if (!interactive) throw usageError("standard mode needs the executor's URL", "give --url https://... (and --api-key), or run `acr init` on a terminal to be asked");
    url = parseServerUrl(await ask(() => prompts.text({ message: "Executor URL", placeholder: "https://arcrun.example.com", validate: (v) => validUrl(v) })));
    apiKey ??= (await ask(() => prompts.password({ message: "API key (leave empty if it needs none)" }))) || undefined;
  }

  const givenKey = options.key ?? (io.env.ARCRUN_ENCRYPTION_KEY || undefined);
  if (givenKey !== undefined) await cliErrors(() => parseEncryptionKey(givenKey, { source: options.key !== undefined ? "--key" : "ARCRUN_ENCRYPTION_KEY" }));
  let encryptionKey = pick("encryption_key", old.encryption_key, givenKey?.trim());
  if (!encryptionKey) {
    const paste = interactive && (await ask(() => prompts.select({
      message: "Encryption key for credentials",
      options: [
        { value: false, label: "Generate a new one", hint: "32 random bytes" },
        { value: true, label: "Paste an existing key", hint: "the ARCRUN_ENCRYPTION_KEY of your executor" },
      ],
    })));
    encryptionKey = paste
      ? (await ask(() => prompts.password({ message: "Encryption key (base64)", validate: (v) => (base64ToBytes((v ?? "").trim())?.length === ENCRYPTION_KEY_BYTES ? undefined : "expected 32 bytes of standard base64 (44 characters)") }))).trim()
      : generateEncryptionKey();
    created.push("encryption_key");
  }

  const config: ArcrunConfig = { ...old, mode, url, api_key: apiKey, encryption_key: encryptionKey };
  writeConfig(loaded.path, config);
  const key = await cliErrors(() => parseEncryptionKey(encryptionKey, { source: loaded.path }));
  const warnings = gitHygieneWarnings(io.cwd);
  if (io.env.ARCRUN_ENCRYPTION_KEY && io.env.ARCRUN_ENCRYPTION_KEY.trim() !== encryptionKey) {
    warnings.push("ARCRUN_ENCRYPTION_KEY is set to another key and wins over the config: unset it, or the CLI and the local server will use that one");
  }
  if (ctx.json) {
    ctx.printJson({ path: loaded.path, mode, url: url ?? null, key_id: key.id, created, kept, warnings });
    return EXIT.ok;
  }
  const style = ctx.style();
  const lines = [
    `${style.green("✓")} ${loaded.exists ? "updated" : "wrote"} ${loaded.path} ${style.dim("(mode 0600)")}`,
    `  mode            ${mode}`,
    `  executor        ${url ?? style.dim("this machine (npm start)")}`,
    `  encryption key  id ${key.id}${created.includes("encryption_key") ? " (new)" : kept.includes("encryption_key") ? " (kept)" : ""}`,
  ];
  if (kept.length) lines.push(style.dim(`  kept existing ${kept.join(", ")} (use --force to replace)`));
  lines.push("", mode === "local"
    ? `next: ${style.bold("npm start")} (it uses this key), put name: value lines in credentials.yaml, then ${style.bold("acr creds push")}`
    : `next: give the executor the same key (${style.bold("wrangler secret put ARCRUN_ENCRYPTION_KEY")}), then ${style.bold("acr creds push")}`);
  if (interactive) prompts.outro("done");
  ctx.print(lines.join("\n"));
  for (const warning of warnings) ctx.note(`${style.yellow("warning:")} ${warning}`);
  return EXIT.ok;
}

async function ask<T>(question: () => Promise<T>): Promise<Exclude<T, symbol>> {
  const answer = await question();
  if (prompts.isCancel(answer)) throw new CliError("cancelled; nothing was written", { code: "cancelled" });
  return answer as Exclude<T, symbol>;
}

function validUrl(value: string | undefined): string | undefined {
  try {
    parseServerUrl(value ?? "");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export default register;
