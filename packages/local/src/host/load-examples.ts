/**
 * Loads every `*.yaml` / `*.yml` of a folder into the running executor through its own API
 * (POST /workflows), so examples go through exactly the checks a user's push does. Fixtures
 * files of `acr test` (`*.test.yaml`) are not workflows and are left out.
 *
 * A workflow the user pushed under an example's name is never overwritten: the loader keeps
 * the hashes it stored itself (`example:{name}` → JSON list of hashes, in the workflows KV),
 * and writes an example only when that name is not stored yet or its stored hash is one of
 * them (an earlier version of the same example). A state folder from before this record
 * existed is adopted when the stored YAML is the example's file exactly.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ExampleResult {
  file: string;
  name?: string;
  /** why it was rejected: the server's message plus the first problem's line */
  error?: string;
  /** not loaded because the stored workflow of that name is the user's own */
  kept?: boolean;
}

/** Where the loader records the hashes it wrote (the executor's WEBHOOKS KV). */
export interface ExampleRecord {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

export const EXAMPLE_KEY = "example:";
/** how many earlier hashes of one example are remembered */
const KEEP_HASHES = 50;

export async function loadExamples(dir: string, url: string, apiKey: string, record?: ExampleRecord): Promise<ExampleResult[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f)).sort();
  const auth = { authorization: `Bearer ${apiKey}` };
  const results: ExampleResult[] = [];
  for (const file of files) {
    try {
      const yaml = readFileSync(join(dir, file), "utf8");
      const name = record ? topLevelName(yaml) : undefined;
      let known: string[] = [];
      if (name && record) {
        known = parseHashes(await record.get(EXAMPLE_KEY + name));
        const stored = await storedWorkflow(url, auth, name);
        if (stored && !known.includes(stored.hash)) {
          if (known.length === 0 && stored.yaml === yaml) known = [stored.hash];
          else {
            results.push({ file, name, kept: true });
            continue;
          }
        }
      }
      const res = await fetch(`${url}/workflows`, { method: "POST", headers: { ...auth, "content-type": "text/yaml" }, body: yaml });
      const body = (await res.json()) as { name?: string; error?: { message: string; errors?: { line?: number; message: string }[] } };
      if (!res.ok) {
        results.push({ file, error: describe(body.error) ?? `HTTP ${res.status}` });
        continue;
      }
      results.push({ file, name: body.name });
      if (record && body.name) {
        const written = await storedWorkflow(url, auth, body.name);
        if (written && !known.includes(written.hash)) {
          await record.put(EXAMPLE_KEY + body.name, JSON.stringify([...known, written.hash].slice(-KEEP_HASHES)));
        }
      }
    } catch (err) {
      results.push({ file, error: (err as Error).message });
    }
  }
  return results;
}

async function storedWorkflow(url: string, auth: Record<string, string>, name: string): Promise<{ hash: string; yaml: string } | undefined> {
  const res = await fetch(`${url}/workflows/${encodeURIComponent(name)}`, { headers: auth });
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) throw new Error(`GET /workflows/${name}: HTTP ${res.status}`);
  return (await res.json()) as { hash: string; yaml: string };
}

/** The workflow's `name:` at the top level (examples are ours: a plain `name: x` line). */
function topLevelName(yaml: string): string | undefined {
  return /^name:\s*["']?([a-z0-9_]+)["']?\s*(?:#.*)?$/m.exec(yaml)?.[1];
}

function parseHashes(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? list.filter((h): h is string => typeof h === "string") : [];
  } catch {
    return [];
  }
}

function describe(error: { message: string; errors?: { line?: number; message: string }[] } | undefined): string | undefined {
  if (!error) return undefined;
  const first = error.errors?.[0];
  return first ? `line ${first.line ?? "?"}: ${first.message}${error.errors!.length > 1 ? ` (+${error.errors!.length - 1} more)` : ""}` : error.message;
}
