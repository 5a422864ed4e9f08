/**
 * `acr recipe list | show <name> | push <file> | rm <name>` (DESIGN § Recipes). `push` is
 * gated: it prints every host the recipe sends data to, the credentials it uses and which
 * input fields leave the account, then asks (`--yes` for scripts; no terminal and no `--yes`
 * → exit 2). After storing it checks that the recipe's credentials are on the server and each
 * host answers a DNS lookup and a TLS connect from this machine (`--offline` skips): a missing
 * credential or an unreachable host is a warning and exit code 1 (the recipe is stored).
 */
import { readFileSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { connect } from "node:tls";
import * as prompts from "@clack/prompts";
import { discloseRecipe, formatRecipeIssue, loadRecipe, type RecipeSummary } from "@arcrun/core";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";

const register: RegisterCommand = (program, ctx) => {
  const recipe = program.command("recipe").description("list, show, push and remove recipes (third-party API calls as nodes)");
  recipe
    .command("list")
    .description("the standard and stored recipes, with the hosts each sends data to")
    .option("--json", "print GET /recipes as JSON")
    .action(handle(ctx, () => list(ctx)));
  recipe
    .command("show <name>")
    .description("one recipe: hosts, credentials, fields sent, and its YAML")
    .option("--json", "print GET /recipes/:name as JSON")
    .action(handle(ctx, (name: string) => show(ctx, name)));
  recipe
    .command("push <file>")
    .description("store a recipe after showing where its data goes and asking")
    .option("--yes", "do not ask (scripts)")
    .option("--offline", "skip the reachability check of the recipe's hosts")
    .addHelpText("after", examples("acr recipe push my_recipe.yaml", "acr recipe push my_recipe.yaml --yes --offline"))
    .action(handle(ctx, (file: string, options: { yes?: boolean; offline?: boolean }) => push(ctx, file, options)));
  recipe
    .command("rm <name>")
    .description("remove a stored recipe (refused while a stored workflow uses it)")
    .action(handle(ctx, (name: string) => rm(ctx, name)));
};

async function list(ctx: CliContext): Promise<number> {
  const body = await ctx.client().request<{ recipes: RecipeSummary[] }>("GET", "/recipes");
  if (ctx.json) ctx.printJson(body);
  else for (const r of body.recipes) ctx.print(`${r.name.padEnd(22)} ${r.source.padEnd(8)} ${r.hosts.join(", ") || "(the node's egress)"}  ${r.description}`);
  return EXIT.ok;
}

async function show(ctx: CliContext, name: string): Promise<number> {
  const body = await ctx.client().request<RecipeSummary & { yaml: string }>("GET", `/recipes/${encodeURIComponent(name)}`);
  if (ctx.json) ctx.printJson(body);
  else ctx.print([...disclosureLines(body), "", body.yaml].join("\n"));
  return EXIT.ok;
}

function disclosureLines(d: Pick<RecipeSummary, "name" | "hosts" | "hosts_from_egress" | "credentials" | "fields" | "credential_choices">): string[] {
  return [
    `recipe ${d.name} sends data to: ${d.hosts.join(", ") || "(none declared)"}${d.hosts_from_egress ? " and the hosts in the node's egress" : ""}`,
    `credentials it uses: ${d.credentials.map((c) => `${c.key} (${c.description})`).join("; ") || "none"}${d.credential_choices.length > 1 ? ` — any one of: ${d.credential_choices.map((s) => s.join(" + ")).join(" | ")}` : ""}`,
    `input fields that leave your account: ${d.fields.join(", ") || "none"}`,
  ];
}

async function push(ctx: CliContext, file: string, options: { yes?: boolean; offline?: boolean }): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, { code: "cli_error" });
  }
  const loaded = loadRecipe(text);
  if (!loaded.ok) {
    throw new CliError(`${file} is not a valid recipe`, { code: "invalid_recipe", lines: loaded.issues.map((i) => `  ${file}${i.line ? `:${i.line}:${i.column}` : ""} ${formatRecipeIssue(i)}`) });
  }
  const disclosure = discloseRecipe(loaded.recipe);
  for (const line of disclosureLines({ name: loaded.recipe.name, ...disclosure })) ctx.note(line);
  if (!options.yes) {
    if (!(ctx.io.stdoutIsTTY && process.stdin.isTTY)) {
      throw new CliError("no terminal to ask on: pass --yes to push without asking", { code: "usage", hint: `acr recipe push ${file} --yes` });
    }
    const answer = await prompts.confirm({ message: `Send these fields to ${disclosure.hosts.join(", ") || "the node's egress"}?`, initialValue: false });
    if (prompts.isCancel(answer) || answer !== true) throw new CliError("not pushed", { code: "cancelled" });
  }
  const stored = await ctx.client().request<RecipeSummary & { status: string }>("PUT", `/recipes/${encodeURIComponent(loaded.recipe.name)}`, { json: { yaml: text } });
  let warnings = 0;
  const creds = await ctx.client().request<{ credentials: { name: string }[] }>("GET", "/credentials").then((b) => new Set(b.credentials.map((c) => c.name)), () => undefined);
  if (creds) {
    const choices = disclosure.credential_choices.length ? disclosure.credential_choices : [disclosure.credentials.map((c) => c.key)];
    if (!choices.some((set) => set.every((k) => creds.has(k)))) {
      warnings++;
      ctx.note(`warning: credential ${choices.map((s) => s.join(" + ")).join(" or ")} is not stored on the server (add it to credentials.yaml, then \`acr creds push\`)`);
    }
  }
  if (!options.offline) {
    for (const host of disclosure.hosts) {
      const problem = await reachable(host);
      if (problem) {
        warnings++;
        ctx.note(`warning: ${host} is not reachable from this machine: ${problem} (--offline skips this check)`);
      }
    }
  }
  if (ctx.json) ctx.printJson(stored);
  else ctx.print(`${stored.status} recipe ${stored.name}${warnings ? ` (${warnings} warning${warnings > 1 ? "s" : ""})` : ""}`);
  return warnings ? EXIT.runFailed : EXIT.ok;
}

/** undefined when `host` resolves and accepts a TLS connection on 443 within 3 s. */
async function reachable(host: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    await lookup(host);
  } catch (error) {
    return `DNS: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port: 443, servername: host, timeout: timeoutMs }, () => {
      socket.end();
      resolve(undefined);
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve(`TLS connect timed out after ${timeoutMs} ms`);
    });
    socket.on("error", (error) => resolve(`TLS: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  });
}

async function rm(ctx: CliContext, name: string): Promise<number> {
  const body = await ctx.client().request("DELETE", `/recipes/${encodeURIComponent(name)}`);
  if (ctx.json) ctx.printJson(body);
  else ctx.print(`removed recipe ${name}`);
  return EXIT.ok;
}

export default register;
