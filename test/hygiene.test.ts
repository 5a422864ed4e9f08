/**
 * Repository hygiene (issue 4 § 7): no account ids, workers.dev subdomains or KV/D1 ids are
 * hard-coded anywhere; wrangler configuration leaves ids empty or templated; secrets files
 * are git-ignored. Scans every tracked file and every new file git would pick up.
 * A line may opt out with the marker `hygiene-ok` (for documented placeholders).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const SELF = relative(root, import.meta.filename);
const SKIP = /(^|\/)(package-lock\.json|node_modules\/)|\.(wasm|png|jpg|gif|ico|woff2?)$/;

function repositoryFiles(): string[] {
  const list = (...args: string[]) => execFileSync("git", ["ls-files", ...args], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  return [...new Set([...list(), ...list("--others", "--exclude-standard")])].filter((f) => f !== SELF && !SKIP.test(f));
}

/** A label that says "put yours here", not a real subdomain. */
const PLACEHOLDER = /^(example|examples|your[-_][a-z0-9_-]+|<[^>]+>|\$\{[^}]+\}|\{\{[^}]+\}\}|\*|x+|subdomain|account|my-account)$/i;
const WORKERS_DEV = /((?:[a-z0-9${}<>*_-]+\.)+)workers\.dev\b/gi;
const ID_ASSIGNMENT = /\b(account_id|accountId|zone_id|namespace_id|database_id|preview_id|id)\b["']?\s*[:=]\s*["']([0-9a-f]{32})["']/gi;
const HEX32 = /\b[0-9a-f]{32}\b/gi;
const WRANGLER = /(^|\/)wrangler\.(toml|json|jsonc)$/;

interface Finding {
  file: string;
  line: number;
  what: string;
}

function scan(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.includes("hygiene-ok")) return;
    const at = (what: string) => findings.push({ file, line: index + 1, what });
    for (const match of line.matchAll(WORKERS_DEV)) {
      const labels = match[1].split(".").filter(Boolean);
      if (!labels.some((label) => PLACEHOLDER.test(label))) at(`workers.dev subdomain "${match[0]}"`);
    }
    for (const match of line.matchAll(ID_ASSIGNMENT)) at(`hard-coded ${match[1]} ${match[2].slice(0, 6)}…`);
    if (/CLOUDFLARE_ACCOUNT_ID\s*[=:]\s*["']?[0-9a-f]{32}/i.test(line)) at("hard-coded CLOUDFLARE_ACCOUNT_ID");
    if (WRANGLER.test(file)) {
      for (const match of line.matchAll(HEX32)) at(`32-hex id ${match[0].slice(0, 6)}… in wrangler config`);
      if (/^\s*"?(id|preview_id|database_id|account_id)"?\s*[:=]\s*"[^"$<{]+"/.test(line)) at("wrangler id that is neither empty nor templated");
    }
  });
  return findings;
}

describe("repository hygiene", () => {
  test("no hard-coded account ids, workers.dev subdomains or KV/D1 ids", () => {
    const findings = repositoryFiles().flatMap((file) => {
      let text: string;
      try {
        text = readFileSync(join(root, file), "utf8");
      } catch {
        return []; // deleted in the work tree
      }
      return text.includes("\u0000") ? [] : scan(file, text);
    });
    assert.deepEqual(findings, [], findings.map((f) => `${f.file}:${f.line}: ${f.what}`).join("\n"));
  });

  test("the scanner catches what it is meant to catch", () => {
    const bad = [
      ["src/a.ts", 'fetch("https://my-worker.acme-corp.workers.dev/x")'],
      ["wrangler.toml", 'kv_namespaces = [{ binding = "WEBHOOKS", id = "0123456789abcdef0123456789abcdef" }]'],
      ["wrangler.jsonc", '  "account_id": "fedcba9876543210fedcba9876543210",'],
      ["wrangler.toml", 'database_id = "prod-db"'],
      ["docs/deploy.md", "CLOUDFLARE_ACCOUNT_ID=0123456789abcdef0123456789abcdef wrangler deploy"],
    ];
    for (const [file, line] of bad) assert.notDeepEqual(scan(file, line), [], `${file}: ${line}`);
    const fine = [
      ["src/a.ts", "acr push x.yaml --url https://arcrun.example.workers.dev"],
      ["src/a.ts", "https://<your-subdomain>.workers.dev"],
      ["wrangler.toml", 'id = ""'],
      ["wrangler.toml", 'id = "${WEBHOOKS_KV_ID}"'],
      ["test/x.test.ts", 'const token = "0123456789abcdef0123456789abcdef"; // a webhook token in a test'],
    ];
    for (const [file, line] of fine) assert.deepEqual(scan(file, line), [], `${file}: ${line}`);
  });

  test("credentials.yaml and .arcrun/ are git-ignored", () => {
    for (const path of ["credentials.yaml", "examples/credentials.yaml", ".arcrun/", ".arcrun/api-key"]) {
      assert.doesNotThrow(() => execFileSync("git", ["check-ignore", "-q", "--no-index", path], { cwd: root }), `${path} is not ignored`);
    }
  });
});
