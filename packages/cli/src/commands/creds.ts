/**
 * `acr creds push | list | rm | rotate-key`: credentials on the executor. Values are sealed
 * here (AES-256-GCM with the key from ARCRUN_ENCRYPTION_KEY or the arcrun config) and only
 * ciphertext and keyed fingerprints are sent; nothing ever prints a value.
 */
import { InvalidArgumentError } from "commander";
import { encryptCredential, fingerprintCredential } from "@arcrun/core/crypto/credential";
import type { CredentialList, PutResult } from "@arcrun/core/credentials/api";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { formatTable } from "../format/tables";
import { formatTimestamp, oneLine } from "../format/values";
import { isLoopback } from "../settings";
import { readCredentialsFile } from "../credentials/file";
import { checkSameKey, loadLocalKey } from "../credentials/key";
import { credentialsApi } from "../credentials/remote";
import { abortRotation, rotateKey, type RotateOutcome } from "../credentials/rotate";
import { readConfig } from "../config";
import { cloudflareErrors, tenantVault } from "../tenant/creds";

const register: RegisterCommand = (program, ctx) => {
  const creds = program
    .command("creds")
    .alias("credentials")
    .description("store, list, remove and re-key the credentials workflows use as {{credential.name}}");

  creds
    .command("push")
    .description("encrypt the values of credentials.yaml on this machine and store them on the executor")
    .argument("[file]", "a YAML mapping of name: value or name: {value, description}", "credentials.yaml")
    .option("--json", "print {results: [{name, status, updated_at}]} as JSON")
    .addHelpText(
      "after",
      examples("acr creds push", "acr creds push secrets/prod.yaml --json") +
        "\nFile format (keep it out of git; credentials.yaml is git-ignored):\n  api_token: sk-live-...\n  github:\n    value: ghp_...\n    description: repo read access\n" +
        "Each name is reported as created, updated or unchanged. The key is ARCRUN_ENCRYPTION_KEY, else the one `acr init` stored.\n",
    )
    .action(handle(ctx, (file: string) => push(ctx, file)));

  creds
    .command("list")
    .alias("ls")
    .description("list stored credentials: names, descriptions and update times (never values)")
    .option("--json", "print the server's answer (GET /credentials) as JSON")
    .addHelpText("after", examples("acr creds list", "acr creds list --json | jq -r '.credentials[].name'"))
    .action(handle(ctx, () => list(ctx)));

  creds
    .command("rm")
    .alias("remove")
    .description("delete stored credentials by name")
    .argument("<names...>", "credential names")
    .option("--json", "print {removed: [...]} as JSON")
    .addHelpText("after", examples("acr creds rm old_token", "acr creds rm a b c"))
    .action(handle(ctx, (names: string[]) => remove(ctx, names)));

  creds
    .command("rotate-key")
    .description("re-encrypt every stored credential under a new key (safe to interrupt: run it again to finish)")
    .option("--abort", "undo a rotation the executor has not switched to yet")
    .option("--wait <seconds>", "how long to wait for the executor to load the new key (default 20 on this machine, else 0)", parseSeconds)
    .option("--json", "print the outcome as JSON")
    .addHelpText(
      "after",
      examples("acr creds rotate-key", "acr creds rotate-key --abort") +
        "\nThe new key is saved in the arcrun config before anything is re-encrypted. The local server (`npm start`)\n" +
        "picks it up from there by itself; a deployed executor needs `wrangler secret put ARCRUN_ENCRYPTION_KEY`,\n" +
        "then run this command again to finish. Until then every credential keeps working.\n",
    )
    .action(handle(ctx, (options: { abort?: boolean; wait?: number }) => rotate(ctx, options)));
};

async function push(ctx: CliContext, file: string): Promise<number> {
  const entries = readCredentialsFile(file, ctx.io.cwd);
  const loaded = readConfig(ctx.io.env);
  const results: PutResult[] = [];
  const tenant = await tenantVault(loaded, ctx.server().url, ctx.io.env);
  if (tenant) {
    // standard mode: sealed with the data key, written into your own KV with your own token
    await cloudflareErrors(loaded.config.account_id, async () => {
      for (const { name, value, description } of entries) {
        const sealed = await encryptCredential(tenant.key, name, value);
        const fingerprint = await fingerprintCredential(tenant.key, name, value);
        results.push(await tenant.vault.put(name, { ...sealed, fingerprint, ...(description ? { description } : {}) }));
      }
    });
    if (!ctx.json) ctx.note(ctx.style().dim(`sealed with data key ${tenant.key.id}, written to ${tenant.where}`));
  } else {
    const local = await loadLocalKey(ctx.io.env, loaded);
    const api = credentialsApi(ctx.client());
    checkSameKey(local, await api.list(), ctx.client().url);
    for (const { name, value, description } of entries) {
      const sealed = await encryptCredential(local.key, name, value);
      const fingerprint = await fingerprintCredential(local.key, name, value);
      results.push(await api.put(name, { ...sealed, fingerprint, ...(description ? { description } : {}) }));
    }
  }
  if (ctx.json) ctx.printJson({ results });
  else {
    const style = ctx.style();
    const paint = { created: style.green, updated: style.yellow, unchanged: style.dim } as const;
    for (const r of results) ctx.print(`${paint[r.status](r.status.padEnd(9))}  ${r.name}`);
    const count = (s: string) => results.filter((r) => r.status === s).length;
    ctx.note(style.dim(`${results.length} credential${results.length === 1 ? "" : "s"}: ${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged`));
  }
  return EXIT.ok;
}

async function list(ctx: CliContext): Promise<number> {
  const body = await credentialsApi(ctx.client()).list();
  if (ctx.json) ctx.printJson(body);
  else ctx.print(formatCredentials(body, ctx));
  return EXIT.ok;
}

export function formatCredentials(body: CredentialList, ctx: Pick<CliContext, "style">): string {
  const style = ctx.style();
  if (body.credentials.length === 0) return `no credentials yet: put name: value lines in credentials.yaml and run ${style.bold("acr creds push")}\n`;
  const rows = body.credentials.map((c) => [
    style.bold(c.name),
    formatTimestamp(c.updated_at),
    body.key_id !== null && c.kid !== body.key_id && !body.rotation ? style.red("sealed with another key: push it again") : oneLine(c.description ?? "", 70),
  ]);
  let text = formatTable(["NAME", "UPDATED", "DESCRIPTION"], rows, style);
  if (body.rotation) text += style.yellow(`a key rotation to ${body.rotation.to_kid} is under way: finish it with acr creds rotate-key\n`);
  return text;
}

async function remove(ctx: CliContext, names: string[]): Promise<number> {
  const loaded = readConfig(ctx.io.env);
  const tenant = await tenantVault(loaded, ctx.server().url, ctx.io.env);
  const api = tenant ? { remove: (name: string) => cloudflareErrors(loaded.config.account_id, () => tenant.vault.remove(name)) } : credentialsApi(ctx.client());
  const removed: string[] = [];
  for (const name of names) {
    await api.remove(name);
    removed.push(name);
    if (!ctx.json) ctx.print(`removed  ${name}`);
  }
  if (ctx.json) ctx.printJson({ removed });
  return EXIT.ok;
}

async function rotate(ctx: CliContext, options: { abort?: boolean; wait?: number }): Promise<number> {
  const client = ctx.client();
  const api = credentialsApi(client);
  const deps = { api, env: ctx.io.env, url: client.url, note: (line: string) => ctx.note(line) };
  const waitSeconds = options.wait ?? (isLoopback(client.url) ? 20 : 0);
  const outcome: RotateOutcome = options.abort
    ? await abortRotation(deps)
    : await rotateKey({ ...deps, waitForExecutorKey: (kid) => pollExecutorKey(() => api.list(), kid, waitSeconds * 1000) });
  if (ctx.json) ctx.printJson(outcome);
  else if (outcome.status === "rotated") {
    ctx.print(`rotated ${outcome.rotated.length} credential${outcome.rotated.length === 1 ? "" : "s"} to key ${outcome.key_id}`);
    if (outcome.skipped.length) ctx.note(`not rotated (sealed with an unknown key, push them again): ${outcome.skipped.join(", ")}`);
  } else if (outcome.status === "aborted") ctx.print(`rotation undone; the key is still ${outcome.key_id}`);
  if (outcome.status === "waiting") {
    throw new CliError(`the executor at ${client.url} does not use the new key ${outcome.key_id} yet; every credential is staged and still works`, {
      code: "rotation_waiting",
      hint: isLoopback(client.url)
        ? "restart `npm start` (it reads the key from the arcrun config unless ARCRUN_ENCRYPTION_KEY is set), then run `acr creds rotate-key` again to finish"
        : "set the executor's key to the new encryption_key of your arcrun config (`wrangler secret put ARCRUN_ENCRYPTION_KEY`), then run `acr creds rotate-key` again to finish",
    });
  }
  return EXIT.ok;
}

/**
 * Polls GET /credentials until it reports `kid`, for at most `ms`. A local server restarts its
 * Worker to load the new key, so "unreachable" during the wait is a normal moment, not a failure.
 */
export async function pollExecutorKey(listKeys: () => Promise<CredentialList>, kid: string, ms: number, every = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await listKeys()).key_id === kid) return true;
    } catch (err) {
      if (!(err instanceof CliError && err.exitCode === EXIT.unreachable) || Date.now() >= deadline) throw err;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 600) throw new InvalidArgumentError("expected whole seconds from 0 to 600.");
  return n;
}

export default register;
