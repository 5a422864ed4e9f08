/**
 * `acr init --standard --url <executor> --auth-url <auth>`: register with a shared deployment's
 * auth Worker (`POST /register`) and write what it answers into the arcrun config (mode 0600):
 * `api_key`, `key_id`, `tenant_id` and the `data_key` that seals this tenant's credentials.
 *
 * Asked for on a terminal, else taken from flags: the email (`--email`), the Cloudflare account
 * (`--account-id`, CLOUDFLARE_ACCOUNT_ID), the KV namespace the credentials live in
 * (`--namespace-id`; without it, with the user's admin token in CLOUDFLARE_API_TOKEN, the namespace
 * titled `arcrun-credentials` is found or created — that token stays here), and a token of the user's with Workers KV Storage: Read only, from the
 * variable `--token-env` names (default CF_KV_READ_TOKEN). The token is sent only in the
 * `CF-Api-Token` header, never printed and never written here; neither key is printed (they are
 * in the config).
 */
import * as prompts from "@clack/prompts";
import { parseEncryptionKey } from "@arcrun/core/crypto/key";
import { CF_TOKEN_HEADER, CLOUDFLARE_ID, RegisterResponseSchema, type RegisterRequest } from "@arcrun/core/tenants/api";
import { expectAnswer } from "../answer";
import { readConfig, writeConfig } from "../config";
import type { CliContext } from "../context";
import { cliErrors } from "../credentials/errors";
import { CliError, EXIT, usageError } from "../exit";
import { parseServerUrl } from "../settings";
import { authClient } from "./auth";
import { cf } from "../cloudflare/api";
import { CloudflareApiError as CliCloudflareError, cloudflareClient } from "../cloudflare/client";

/** The namespace `acr init --standard` finds or creates (with CLOUDFLARE_API_TOKEN) when no --namespace-id is given. */
export const CREDENTIALS_NAMESPACE_TITLE = "arcrun-credentials";

export interface RegisterOptions {
  url?: string;
  authUrl: string;
  email?: string;
  accountId?: string;
  namespaceId?: string;
  tokenEnv?: string;
  yes?: boolean;
  force?: boolean;
}

export const DEFAULT_TOKEN_ENV = "CF_KV_READ_TOKEN";

export async function registerTenant(ctx: CliContext, options: RegisterOptions): Promise<number> {
  const { io } = ctx;
  const loaded = readConfig(io.env);
  const old = loaded.config;
  const authUrl = parseServerUrl(options.authUrl);
  if (old.tenant_id && old.data_key && !options.force) {
    throw new CliError(`${loaded.path} is already registered (tenant ${old.tenant_id} at ${old.auth_url ?? "an auth Worker"})`, {
      code: "config_exists",
      hint: "keep it, or register a new tenant with --force (the old tenant stays until `acr tenant delete`; its data key is replaced in the config)",
    });
  }
  const tokenEnv = options.tokenEnv ?? DEFAULT_TOKEN_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw usageError(`--token-env ${tokenEnv} is not a variable name`, "name the variable that holds the token, e.g. --token-env CF_KV_READ_TOKEN");
  const interactive = !options.yes && !ctx.json && io.stdoutIsTTY && Boolean(process.stdin.isTTY);

  let url = options.url === undefined ? undefined : parseServerUrl(options.url);
  let email = options.email;
  let accountId = options.accountId ?? (io.env.CLOUDFLARE_ACCOUNT_ID || undefined);
  let namespaceId = options.namespaceId;
  let token = io.env[tokenEnv] || undefined;

  let namespaceCreated = false;
  if (!namespaceId && accountId && CLOUDFLARE_ID.test(accountId) && io.env.CLOUDFLARE_API_TOKEN) {
    const found = await findOrCreateNamespace(io.env.CLOUDFLARE_API_TOKEN, io.env.CLOUDFLARE_API_BASE_URL, accountId, io.fetch);
    namespaceId = found.id;
    namespaceCreated = found.created;
    if (!ctx.json) ctx.note(`${found.created ? "created" : "reusing"} KV namespace ${CREDENTIALS_NAMESPACE_TITLE} (${found.id}) on account ${accountId}`);
  }
  if (!interactive) {
    const missing = [
      !url && "--url <executor URL>",
      !email && "--email <address>",
      !accountId && "--account-id <id> (or CLOUDFLARE_ACCOUNT_ID)",
      !namespaceId && "--namespace-id <KV namespace id> (or CLOUDFLARE_API_TOKEN with KV write: the namespace arcrun-credentials is found or created)",
      !token && `the read-only KV token in ${tokenEnv} (or --token-env NAME)`,
    ].filter(Boolean) as string[];
    if (missing.length) {
      throw new CliError(`registering needs ${missing.length === 1 ? "one more value" : "more values"} and there is no terminal to ask on`, {
        code: "usage",
        lines: missing.map((m) => `  missing: ${m}`),
        hint: `acr init --standard --url <executor> --auth-url ${authUrl} --email you@example.com --account-id <id> --namespace-id <id> (token in ${tokenEnv}: Workers KV Storage · Read on that account only)`,
      });
    }
  } else {
    prompts.intro("arcrun init: register with a shared deployment");
    url ??= parseServerUrl(await ask(() => prompts.text({ message: "Executor URL", placeholder: "https://arcrun.example.com" })));
    email ??= await ask(() => prompts.text({ message: "Email", validate: (v) => (/^[^@\s]+@[^@\s]+$/.test(v ?? "") ? undefined : "an email address") }));
    accountId ??= await ask(() => prompts.text({ message: "Cloudflare account id", validate: (v) => (CLOUDFLARE_ID.test(v ?? "") ? undefined : "32 lowercase hex characters") }));
    namespaceId ??= await ask(() => prompts.text({ message: "KV namespace id for your credentials", validate: (v) => (CLOUDFLARE_ID.test(v ?? "") ? undefined : "32 lowercase hex characters") }));
    token ??= await ask(() => prompts.password({ message: "API token with Workers KV Storage: Read (only) on that account" }));
  }
  for (const [flag, value] of [["--account-id", accountId], ["--namespace-id", namespaceId]] as const) {
    if (!CLOUDFLARE_ID.test(value!)) throw usageError(`${flag} ${value} is not a Cloudflare id`, "ids are 32 lowercase hex characters (dashboard → Workers KV / account home)");
  }

  const body: RegisterRequest = { email: email!, account_id: accountId!, kv_namespace_id: namespaceId! };
  const answer = expectAnswer(
    RegisterResponseSchema,
    await authClient(authUrl, io.fetch).request("POST", "/register", { json: body, headers: { [CF_TOKEN_HEADER]: token! } }),
    authUrl,
    "registration",
  );
  const dataKey = await cliErrors(() => parseEncryptionKey(answer.data_key, { source: "the auth Worker's data_key" }));
  writeConfig(loaded.path, {
    ...old,
    mode: "standard",
    url,
    auth_url: authUrl,
    api_key: answer.api_key,
    key_id: answer.key_id,
    tenant_id: answer.tenant_id,
    data_key: answer.data_key,
    account_id: accountId,
    kv_namespace_id: namespaceId,
  });
  const result = { path: loaded.path, mode: "standard", url, auth_url: authUrl, tenant_id: answer.tenant_id, key_id: answer.key_id, data_key_id: dataKey.id, account_id: accountId, kv_namespace_id: namespaceId, namespace_created: namespaceCreated };
  if (ctx.json) {
    ctx.printJson(result);
    return EXIT.ok;
  }
  const style = ctx.style();
  if (interactive) prompts.outro("registered");
  ctx.print([
    `${style.green("✓")} registered: tenant ${answer.tenant_id}`,
    `${style.green("✓")} ${loaded.exists ? "updated" : "wrote"} ${loaded.path} ${style.dim("(mode 0600: your API key and data key are in it, shown nowhere else)")}`,
    `  executor        ${url}`,
    `  auth            ${authUrl}`,
    `  API key         id ${answer.key_id}`,
    `  data key        id ${dataKey.id} (seals your credentials on this machine)`,
    `  credentials     account ${accountId}, KV namespace ${namespaceId}`,
    "",
    `next: put name: value lines in credentials.yaml, then ${style.bold("CLOUDFLARE_API_TOKEN=<a token with KV write> acr creds push")}`,
  ].join("\n"));
  return EXIT.ok;
}

async function ask<T>(question: () => Promise<T>): Promise<Exclude<T, symbol>> {
  const answer = await question();
  if (prompts.isCancel(answer)) throw new CliError("cancelled; nothing was sent or written", { code: "cancelled" });
  return answer as Exclude<T, symbol>;
}

async function findOrCreateNamespace(token: string, baseUrl: string | undefined, accountId: string, fetchImpl: typeof fetch): Promise<{ id: string; created: boolean }> {
  const client = cloudflareClient({ token, baseUrl: baseUrl || undefined, fetch: fetchImpl });
  try {
    const existing = (await cf.listKv(client, accountId)).find((ns) => ns.title === CREDENTIALS_NAMESPACE_TITLE);
    if (existing) return { id: existing.id, created: false };
    return { id: (await cf.createKv(client, accountId, CREDENTIALS_NAMESPACE_TITLE)).id, created: true };
  } catch (error) {
    if (!(error instanceof CliCloudflareError)) throw error;
    const retryable = error.status === 429 || error.status >= 500 || error.status === 0;
    throw new CliError(error.message, {
      code: retryable ? "cloudflare_unavailable" : "cloudflare_request_refused",
      hint: retryable ? undefined : `CLOUDFLARE_API_TOKEN needs Workers KV Storage: Edit on account ${accountId} to find or create the namespace; or give --namespace-id`,
    });
  }
}
