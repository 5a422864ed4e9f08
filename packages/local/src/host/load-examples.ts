/**
 * Loads every `*.yaml` / `*.yml` of a folder into the running executor through its own API
 * (POST /workflows), so examples go through exactly the checks a user's push does. Fixtures
 * files of `acr test` (`*.test.yaml`) are not workflows and are left out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ExampleResult {
  file: string;
  name?: string;
  /** why it was rejected: the server's message plus the first problem's line */
  error?: string;
}

export async function loadExamples(dir: string, url: string, apiKey: string): Promise<ExampleResult[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f)).sort();
  const results: ExampleResult[] = [];
  for (const file of files) {
    try {
      const res = await fetch(`${url}/workflows`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "text/yaml" },
        body: readFileSync(join(dir, file), "utf8"),
      });
      const body = (await res.json()) as { name?: string; error?: { message: string; errors?: { line?: number; message: string }[] } };
      if (res.ok) results.push({ file, name: body.name });
      else results.push({ file, error: describe(body.error) ?? `HTTP ${res.status}` });
    } catch (err) {
      results.push({ file, error: (err as Error).message });
    }
  }
  return results;
}

function describe(error: { message: string; errors?: { line?: number; message: string }[] } | undefined): string | undefined {
  if (!error) return undefined;
  const first = error.errors?.[0];
  return first ? `line ${first.line ?? "?"}: ${first.message}${error.errors!.length > 1 ? ` (+${error.errors!.length - 1} more)` : ""}` : error.message;
}
