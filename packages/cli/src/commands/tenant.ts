/**
 * `acr tenant delete`: remove your tenant from a shared deployment (`DELETE /tenant` at the auth
 * Worker: your account record and keys there, and everything the executor stored for you —
 * workflows, runs, traces, recipes, components, webhook tokens). Asks first (`--yes` for
 * scripts; no terminal and no `--yes` → exit 2, nothing removed). The credentials in your own KV
 * namespace are yours and stay; the config loses api_key, key_id, tenant_id and data_key.
 */
import * as prompts from "@clack/prompts";
import { updateConfig } from "../config";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { tenantAuthClient } from "../tenant/auth";

interface DeleteOptions {
  authUrl?: string;
  yes?: boolean;
}

const register: RegisterCommand = (program, ctx) => {
  const tenant = program.command("tenant").description("your tenant at a shared deployment (acr init --standard --auth-url)");
  tenant
    .command("delete")
    .description("delete your tenant and everything the shared deployment stored for you (asks first)")
    .option("--auth-url <url>", "the auth Worker (default: $ARCRUN_AUTH_URL, else the config's auth_url)")
    .option("-y, --yes", "do not ask")
    .option("--json", "print {tenant_id, deleted, executor_purged} as JSON")
    .addHelpText("after", examples("acr tenant delete", "acr tenant delete --yes --json"))
    .action(handle(ctx, (options: DeleteOptions) => remove(ctx, options)));
};

async function remove(ctx: CliContext, options: DeleteOptions): Promise<number> {
  const { io } = ctx;
  const { client, loaded } = tenantAuthClient(options.authUrl, io.env, io.fetch);
  const who = loaded.config.tenant_id ? `tenant ${loaded.config.tenant_id}` : "the tenant of this API key";
  if (!options.yes) {
    if (!(io.stdoutIsTTY && process.stdin.isTTY) || ctx.json) {
      throw new CliError(`deleting ${who} at ${client.url} removes its workflows, runs and keys, and there is no terminal to ask on`, { code: "needs_confirmation", hint: "pass --yes to delete it: acr tenant delete --yes" });
    }
    const answer = await prompts.confirm({ message: `Delete ${who} and everything the deployment stored for it? (your KV namespace stays)`, initialValue: false });
    if (prompts.isCancel(answer) || !answer) throw new CliError("cancelled; nothing was deleted", { code: "cancelled" });
  }
  const body = (await client.request("DELETE", "/tenant")) as { tenant_id?: string; deleted?: boolean; executor_purged?: unknown };
  // the keys and the data key belong to a tenant that no longer exists
  updateConfig(io.env, ({ api_key: _a, key_id: _k, tenant_id: _t, data_key: _d, ...rest }) => rest);
  if (ctx.json) ctx.printJson(body);
  else {
    ctx.print(`deleted  tenant ${body.tenant_id ?? loaded.config.tenant_id ?? ""}`);
    ctx.note(ctx.style().dim(`removed api_key and data_key from ${loaded.path}; the credentials in your own KV namespace are yours (delete them there if you want)`));
  }
  return EXIT.ok;
}

export default register;
