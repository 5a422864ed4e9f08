/** `acr init`: the config file (mode 0600), keeping vs replacing, standard mode, git hygiene warnings. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseEncryptionKey } from "@arcrun/core/crypto/key";
import { EXIT } from "../src/exit";
import { acr, fakeServer } from "./helpers";

const KEY = Buffer.alloc(32, 7).toString("base64");
const OTHER = Buffer.alloc(32, 9).toString("base64");

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), "acr-init-"));
  const config = join(dir, "home", ".arcrun", "config.json");
  const run = (argv: string[], env: Record<string, string> = {}) => acr(argv, { cwd: dir, env: { ARCRUN_CONFIG: config, ...env } });
  const read = () => JSON.parse(readFileSync(config, "utf8"));
  return { dir, config, run, read };
}

describe("acr init", () => {
  test("--yes generates a key and writes the config with mode 0600 in a 0700 folder", async () => {
    const { config, run, read } = fresh();
    const { code, stdout, stderr } = await run(["init", "--yes"]);
    assert.equal(code, EXIT.ok, stderr);
    const saved = read();
    assert.equal(saved.mode, "local");
    assert.equal(Buffer.from(saved.encryption_key, "base64").length, 32);
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.equal(statSync(join(config, "..")).mode & 0o777, 0o700);
    const key = await parseEncryptionKey(saved.encryption_key);
    assert.match(stdout, new RegExp(`id ${key.id} \\(new\\)`));
    assert.ok(!stdout.includes(saved.encryption_key) && !stderr.includes(saved.encryption_key), "the key itself is never printed");
  });

  test("running it again keeps the key; a different --key needs --force", async () => {
    const { config, run, read } = fresh();
    await run(["init", "--yes", "--key", KEY]);
    const before = readFileSync(config, "utf8");
    const again = await run(["init", "--yes"]);
    assert.equal(again.code, EXIT.ok);
    assert.match(again.stdout, /\(kept\)/);
    assert.equal(read().encryption_key, KEY);
    const refused = await run(["init", "--yes", "--key", OTHER]);
    assert.equal(refused.code, EXIT.usage);
    assert.match(refused.stderr, /already has a different encryption_key/);
    assert.match(refused.stderr, /rotate-key/);
    assert.equal(readFileSync(config, "utf8"), before, "nothing changed");
    const forced = await run(["init", "--yes", "--force", "--key", OTHER]);
    assert.equal(forced.code, EXIT.ok, forced.stderr);
    assert.equal(read().encryption_key, OTHER);
  });

  test("a malformed --key is refused with the command that makes a good one; nothing is written", async () => {
    const { config, run } = fresh();
    const { code, stderr } = await run(["init", "--yes", "--key", "c2hvcnQ="]);
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /--key is 5 bytes; it must be exactly 32/);
    assert.match(stderr, /openssl rand -base64 32/);
    assert.throws(() => statSync(config));
  });

  test("ARCRUN_ENCRYPTION_KEY is stored when the config has no key", async () => {
    const { run, read } = fresh();
    const { code } = await run(["init", "--yes"], { ARCRUN_ENCRYPTION_KEY: KEY });
    assert.equal(code, EXIT.ok);
    assert.equal(read().encryption_key, KEY);
  });

  test("standard mode keeps the URL and API key; it needs a URL when not on a terminal", async () => {
    const { run, read } = fresh();
    const missing = await run(["init", "--standard", "--yes"]);
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.stderr, /needs the executor's URL/);
    const { code, stdout } = await run(["init", "--standard", "--url", "https://arcrun.example.test/", "--api-key", "k-123", "--json"]);
    assert.equal(code, EXIT.ok);
    const body = JSON.parse(stdout);
    assert.equal(body.mode, "standard");
    assert.equal(body.url, "https://arcrun.example.test");
    assert.deepEqual(read().api_key, "k-123");
  });

  test("an unreadable config is reported with its path", async () => {
    const { config, run } = fresh();
    mkdirSync(join(config, ".."), { recursive: true });
    writeFileSync(config, "{not json");
    const { code, stderr } = await run(["init", "--yes"]);
    assert.equal(code, EXIT.usage);
    assert.ok(stderr.includes(config) && /not valid JSON/.test(stderr), stderr);
  });

  test("warns when credentials.yaml is tracked by git or not ignored", async () => {
    const { dir, run } = fresh();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    writeFileSync(join(dir, "credentials.yaml"), "a: b\n");
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "credentials.yaml");
    const tracked = await run(["init", "--yes"]);
    assert.match(tracked.stderr, /credentials\.yaml is tracked by git.*git rm --cached credentials\.yaml/);
    assert.match(tracked.stderr, /\.gitignore does not cover credentials\.yaml and \.arcrun\//);
    git("rm", "-q", "--cached", "credentials.yaml");
    writeFileSync(join(dir, ".gitignore"), "credentials.yaml\n.arcrun/\nhome/\n");
    const clean = await run(["init", "--yes", "--json"]);
    assert.deepEqual(JSON.parse(clean.stdout).warnings, []);
  });

  test("commands use the configured URL and API key; the key goes only to that URL", async () => {
    const { run } = fresh();
    const server = await fakeServer(() => ({ json: { credentials: [], key_id: null, rotation: null } }));
    const other = await fakeServer(() => ({ json: { credentials: [], key_id: null, rotation: null } }));
    try {
      await run(["init", "--standard", "--url", server.url, "--api-key", "configured-key", "--yes"]);
      const listed = await run(["creds", "list"]);
      assert.equal(listed.code, EXIT.ok, listed.stderr);
      assert.equal(server.requests.at(-1)?.headers.authorization, "Bearer configured-key");
      await run(["--url", other.url, "creds", "list"]);
      assert.equal(other.requests.length, 1);
      assert.equal(other.requests[0].headers.authorization, undefined);
    } finally {
      await server.close();
      await other.close();
    }
  });
});
