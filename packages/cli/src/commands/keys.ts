/**
 * `acr keys list | create | revoke <id>`: your API keys at a shared deployment's auth Worker
 * (GET/POST /keys, DELETE /keys/:id), with the key of your config. `create` prints the new key
 * once (the auth Worker keeps only its hash); `list` shows ids and times, never a key. A revoked
 * key stops working on the executor within its tenant cache bound (at most 60 s).
 */
import { KeyCreatedSchema, KeyListSchema } from "@arcrun/core/tenants/api";
import { expectAnswer } from "../answer";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { EXIT, usageError } from "../exit";
import { formatTable } from "../format/tables";
import { formatTimestamp } from "../format/values";
import { tenantAuthClient } from "../tenant/auth";

interface KeysOptions {
  authUrl?: string;
}

const register: RegisterCommand = (program, ctx) => {
  const keys = program
    .command("keys")
    .description("your API keys at a shared deployment (acr init --standard --auth-url): list, create, revoke");
  const authOption = ["--auth-url <url>", "the auth Worker (default: $ARCRUN_AUTH_URL, else the config's auth_url)"] as const;

  keys
    .command("list")
    .alias("ls")
    .description("key ids with their created and last-used times (never a key)")
    .option(...authOption)
    .option("--json", "print the auth Worker's answer (GET /keys) as JSON")
    .addHelpText("after", examples("acr keys list", "acr keys list --json | jq -r '.keys[].key_id'"))
    .action(handle(ctx, (options: KeysOptions) => list(ctx, options)));

  keys
    .command("create")
    .description("make another API key; it is printed once and never shown again")
    .option(...authOption)
    .option("--json", "print {key_id, api_key, created_at} as JSON")
    .addHelpText("after", examples("acr keys create", "KEY=$(acr keys create --json | jq -r .api_key)"))
    .action(handle(ctx, (options: KeysOptions) => create(ctx, options)));

  keys
    .command("revoke")
    .description("revoke a key by id: the executor refuses it within its tenant cache bound (at most 60 s)")
    .argument("<id>", "a key id from `acr keys list`")
    .option(...authOption)
    .option("--json", "print {key_id, revoked} as JSON")
    .addHelpText("after", examples("acr keys revoke k_0123abcd"))
    .action(handle(ctx, (id: string, options: KeysOptions) => revoke(ctx, id, options)));
};

async function list(ctx: CliContext, options: KeysOptions): Promise<number> {
  const { client, loaded } = tenantAuthClient(options.authUrl, ctx.io.env, ctx.io.fetch);
  const body = expectAnswer(KeyListSchema, await client.request("GET", "/keys"), client.url, "key list");
  if (ctx.json) {
    ctx.printJson(body);
    return EXIT.ok;
  }
  const style = ctx.style();
  const mine = loaded.config.key_id;
  const rows = body.keys.map((k) => [style.bold(k.key_id), formatTimestamp(k.created_at), k.last_used_at ? formatTimestamp(k.last_used_at) : style.dim("never"), k.key_id === mine ? "this config's key" : ""]);
  ctx.print(formatTable(["KEY ID", "CREATED", "LAST USED", ""], rows, style));
  ctx.note(style.dim(`tenant ${body.tenant_id}: ${body.keys.length} key${body.keys.length === 1 ? "" : "s"}`));
  return EXIT.ok;
}

async function create(ctx: CliContext, options: KeysOptions): Promise<number> {
  const { client } = tenantAuthClient(options.authUrl, ctx.io.env, ctx.io.fetch);
  const body = expectAnswer(KeyCreatedSchema, await client.request("POST", "/keys", { json: {} }), client.url, "new key");
  if (ctx.json) ctx.printJson(body);
  else {
    // the one place a key is printed: the auth Worker answers it once and keeps only its hash
    ctx.print(body.api_key);
    ctx.note(ctx.style().dim(`key ${body.key_id} created; it is shown only this once (the config keeps its own key). Revoke it with acr keys revoke ${body.key_id}`));
  }
  return EXIT.ok;
}

async function revoke(ctx: CliContext, id: string, options: KeysOptions): Promise<number> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw usageError(`"${id}" is not a key id`, "`acr keys list` shows your key ids");
  const { client, loaded } = tenantAuthClient(options.authUrl, ctx.io.env, ctx.io.fetch);
  const body = await client.request("DELETE", `/keys/${encodeURIComponent(id)}`);
  if (ctx.json) ctx.printJson(body);
  else {
    ctx.print(`revoked  ${id}`);
    if (id === loaded.config.key_id) ctx.note(ctx.style().yellow("warning: that was this config's key: commands stop working once the executor's cache expires (set ARCRUN_API_KEY to another key, or register again)"));
    else ctx.note(ctx.style().dim("the executor refuses it within its tenant cache bound (at most 60 s)"));
  }
  return EXIT.ok;
}

export default register;
