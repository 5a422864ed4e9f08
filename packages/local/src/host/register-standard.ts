/**
 * The standard library in the local registry (issue 14 item 5): on each start the dev server
 * submits every standard component (components/standard-library.txt, built) that the registry
 * does not hold yet at its contract's version, with the admin key (author `arcrun`), as a
 * first-party submission (the static acceptance steps run; the sandbox steps, whose fresh
 * isolates would stay resident in the local workerd, are not repeated: the components' features
 * run in the test suite), and approves it: public, so the executor's usage reports for it are
 * counted from the first run. Idempotent: a version already stored is
 * skipped (and approved if a crash left it unapproved); one at a time, in the background.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

export interface RegisterStandardOptions {
  registryUrl: string;
  adminKey: string;
  /** the repository's components/ folder */
  componentsDir: string;
  /** stops between components (the server is stopping) */
  signal?: AbortSignal;
}

export interface RegisterStandardResult {
  registered: string[];
  present: string[];
  failed: { name: string; error: string }[];
}

/** The standard library's names whose module is built. */
export function standardComponents(componentsDir: string): string[] {
  const list = join(componentsDir, "standard-library.txt");
  if (!existsSync(list)) return [];
  return readFileSync(list, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((name) => name && existsSync(join(componentsDir, name, "contract.yaml")) && existsSync(join(componentsDir, name, "build", `${name}.wasm`)));
}

export async function registerStandardComponents(options: RegisterStandardOptions): Promise<RegisterStandardResult> {
  const result: RegisterStandardResult = { registered: [], present: [], failed: [] };
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(options.registryUrl + path, {
      ...init,
      signal: options.signal,
      headers: { authorization: `Bearer ${options.adminKey}`, "content-type": "application/json" },
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as any };
  };
  for (const name of standardComponents(options.componentsDir)) {
    if (options.signal?.aborted) break;
    const dir = join(options.componentsDir, name);
    try {
      const contract = parseYaml(readFileSync(join(dir, "contract.yaml"), "utf8")) as { name: string; version: string };
      const existing = await call(`/components/${encodeURIComponent(contract.name)}/${encodeURIComponent(contract.version)}`);
      if (existing.status === 200) {
        if (existing.body.visibility === "author_only" && existing.body.author === "arcrun") await approve(call, existing.body.submission_id);
        result.present.push(name);
        continue;
      }
      const featuresDir = join(dir, "features");
      const features = existsSync(featuresDir)
        ? readdirSync(featuresDir)
            .filter((f) => f.endsWith(".feature"))
            .sort()
            .map((f) => ({ path: `features/${f}`, text: readFileSync(join(featuresDir, f), "utf8") }))
        : [];
      const wasm = readFileSync(join(dir, "build", `${name}.wasm`)).toString("base64");
      const submitted = await call("/submit", { method: "POST", body: JSON.stringify({ contract, wasm, features, first_party: true }) });
      if (submitted.status !== 201) {
        const failing = (submitted.body.error?.report?.steps ?? []).filter((s: { passed: boolean }) => !s.passed).map((s: { step: string; error?: { message: string } }) => `${s.step}: ${s.error?.message ?? "skipped"}`);
        throw new Error(`${submitted.body.error?.code ?? `HTTP ${submitted.status}`}: ${submitted.body.error?.message ?? ""}${failing.length ? ` (${failing.join("; ")})` : ""}`);
      }
      await approve(call, submitted.body.id);
      result.registered.push(name);
    } catch (error) {
      if (options.signal?.aborted) break;
      result.failed.push({ name, error: (error as Error)?.message ?? String(error) });
    }
  }
  return result;
}

async function approve(call: (path: string, init?: RequestInit) => Promise<{ status: number; body: any }>, id: string): Promise<void> {
  const approved = await call(`/submit/${encodeURIComponent(id)}/approve`, { method: "PATCH" });
  if (approved.status !== 200) throw new Error(`approval: ${approved.body.error?.code ?? `HTTP ${approved.status}`}: ${approved.body.error?.message ?? ""}`);
}
