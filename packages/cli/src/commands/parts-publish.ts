/**
 * `acr parts publish <dir>`: upload a built component (contract + module) to the server's R2
 * bucket, where the executor runs it through the Worker Loader — no redeploy needed.
 * Registered under `acr parts` by parts.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { examples, handle, type CliContext } from "../context";
import { ComponentPublishedSchema } from "@arcrun/core/api";
import { expectAnswer } from "../answer";
import { CliError, EXIT } from "../exit";


export function registerPartsPublish(parts: Command, ctx: CliContext): void {
  parts
    .command("publish")
    .description("publish a built component to the server (runs at once through the Worker Loader, no redeploy)")
    .argument("<dir>", "the component folder: contract.yaml and build/<name>.wasm")
    .option("--json", "print the server's answer {name, version, bytes, sha256, source} as JSON")
    .addHelpText(
      "after",
      examples("acr parts build components/shout && acr parts publish components/shout", "acr parts publish components/shout --url https://arcrun.example.workers.dev --json") +
        "\nRepublishing the same name replaces it; builtin and bundled component names are refused.\n",
    )
    .action(handle(ctx, (dir: string) => publish(ctx, dir)));
}

async function publish(ctx: CliContext, dir: string): Promise<number> {
  const folder = resolve(ctx.io.cwd, dir);
  const contract = readContract(folder, dir);
  const name = contract.name as string;
  const wasmPath = join(folder, "build", `${name}.wasm`);
  if (!existsSync(wasmPath)) {
    throw new CliError(`${join(dir, "build", `${name}.wasm`)} does not exist`, {
      code: "module_missing",
      hint: `build the module first: \`acr parts build ${dir}\``,
    });
  }
  const wasm = readFileSync(wasmPath).toString("base64");
  const client = ctx.client();
  const answer = await client.request("PUT", `/components/${encodeURIComponent(name)}`, { json: { contract, wasm } });
  const body = expectAnswer(ComponentPublishedSchema, answer, client.url, "answer to PUT /components/:name");
  if (ctx.json) {
    ctx.printJson(body);
    return EXIT.ok;
  }
  const style = ctx.style();
  ctx.print(
    `${style.green("✓")} published ${style.bold(`${body.name}@${body.version}`)} (${body.bytes} bytes, sha256 ${body.sha256.slice(0, 12)}) — use it as component: ${body.name}`,
  );
  return EXIT.ok;
}

/** The contract as the server will check it; only what publishing needs is checked here. */
function readContract(folder: string, dir: string): Record<string, unknown> {
  const file = join(folder, "contract.yaml");
  if (!existsSync(file)) {
    throw new CliError(`${join(dir, "contract.yaml")} does not exist`, {
      code: "contract_missing",
      hint: "point at a component folder (contract.yaml, assembly/, build/); `acr parts scaffold <name>` creates one",
    });
  }
  let contract: unknown;
  try {
    contract = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${join(dir, "contract.yaml")} is not valid YAML: ${(error as Error).message.split("\n")[0]}`, { code: "invalid_contract" });
  }
  if (!contract || typeof contract !== "object" || Array.isArray(contract) || typeof (contract as { name?: unknown }).name !== "string") {
    throw new CliError(`${join(dir, "contract.yaml")} has no name`, {
      code: "invalid_contract",
      hint: "a contract starts with name: <component_name>; components/README.md lists every field",
    });
  }
  return contract as Record<string, unknown>;
}
