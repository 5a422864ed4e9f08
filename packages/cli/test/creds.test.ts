/**
 * `acr creds push | list | rm | rotate-key` against a stand-in executor (node:http) backed by
 * core's real CredentialVault. The stand-in takes its key from the same config file the CLI
 * writes, as `npm start` does, so rotation is tested end to end without Miniflare.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ArcrunError } from "@arcrun/core/errors";
import { parseEncryptionKey } from "@arcrun/core/crypto/key";
import { CredentialVault, memoryKeyValueStore } from "@arcrun/core/credentials/vault";
import { vaultSecretSource } from "@arcrun/core/credentials/secret-source";
import { secretForms } from "@arcrun/core/redact/forms";
import { CliError, EXIT } from "../src/exit";
import { pollExecutorKey } from "../src/commands/creds";
import type { CredentialList } from "@arcrun/core/credentials/api";
import { acr } from "./helpers";

const KEY = Buffer.alloc(32, 3).toString("base64");
const OTHER = Buffer.alloc(32, 4).toString("base64");
const SECRETS = { api_token: "sk-live-4f9a2b7c1d", github: 'ghp_"quoted"/ñ' };

interface StandIn {
  url: string;
  kv: ReturnType<typeof memoryKeyValueStore>;
  bodies: string[];
  /** key text the executor uses: read from the config file (like npm start) unless pinned */
  pinnedKey?: string;
  failStagedAfter?: number;
  close(): Promise<void>;
}

async function standIn(configFile: string): Promise<StandIn> {
  const kv = memoryKeyValueStore();
  const state: StandIn = { url: "", kv, bodies: [], close: async () => {} };
  let staged = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    state.bodies.push(text);
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    try {
      const keyText = state.pinnedKey ?? JSON.parse(readFileSync(configFile, "utf8")).encryption_key;
      const vault = new CredentialVault(kv, { keyId: keyText ? (await parseEncryptionKey(keyText)).id : null });
      const body = text ? JSON.parse(text) : undefined;
      const path = new URL(req.url!, "http://x").pathname;
      let m: RegExpExecArray | null;
      if (req.method === "GET" && path === "/credentials") return send(200, await vault.list());
      if (req.method === "PUT" && (m = /^\/credentials\/([^/]+)$/.exec(path))) return send(200, await vault.put(decodeURIComponent(m[1]), body));
      if (req.method === "DELETE" && (m = /^\/credentials\/([^/]+)$/.exec(path))) return send(200, await vault.remove(decodeURIComponent(m[1])) ?? { removed: m[1] });
      if (req.method === "POST" && path === "/credential-rotation") return send(200, await vault.startRotation(body));
      if (req.method === "PUT" && (m = /^\/credential-rotation\/staged\/([^/]+)$/.exec(path))) {
        if (state.failStagedAfter !== undefined && staged++ >= state.failStagedAfter) return send(500, { error: { code: "internal_error", message: "simulated crash" } });
        return send(200, await vault.putStaged(decodeURIComponent(m[1]), body) ?? { ok: true });
      }
      if (req.method === "POST" && path === "/credential-rotation/commit") return send(200, await vault.commitRotation(body));
      if (req.method === "DELETE" && path === "/credential-rotation") return send(200, await vault.abortRotation() ?? { ok: true });
      return send(404, { error: { code: "not_found", message: `no route ${req.method} ${path}` } });
    } catch (error) {
      if (error instanceof ArcrunError) return send(error.status, error.toBody());
      return send(500, { error: { code: "internal_error", message: String(error) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

const dir = mkdtempSync(join(tmpdir(), "acr-creds-"));
const configFile = join(dir, "config.json");
let executor: StandIn;
const run = (argv: string[], env: Record<string, string> = {}) =>
  acr(argv, { cwd: dir, env: { ARCRUN_URL: executor.url, ARCRUN_CONFIG: configFile, ...env } });
const writeCredentials = (text: string, file = "credentials.yaml") => writeFileSync(join(dir, file), text);
const config = () => JSON.parse(readFileSync(configFile, "utf8"));

/** Every value decrypts with the key the executor now holds. */
async function executorReads(names: string[]): Promise<(string | undefined)[]> {
  const key = await parseEncryptionKey(executor.pinnedKey ?? config().encryption_key);
  const source = vaultSecretSource(new CredentialVault(executor.kv, { keyId: key.id }), async () => key);
  return Promise.all(names.map((n) => source.get(n)));
}

function assertNoPlaintext(texts: string[]) {
  for (const value of Object.values(SECRETS)) {
    for (const form of secretForms(value)) for (const text of texts) assert.ok(!text.includes(form), `a form of a secret was sent or printed: ${form}`);
  }
}

before(async () => {
  writeFileSync(configFile, JSON.stringify({ encryption_key: KEY }));
  executor = await standIn(configFile);
});
after(() => executor.close());

describe("acr creds push / list / rm", () => {
  test("push reports created, then unchanged, then updated; only ciphertext is sent", async () => {
    writeCredentials(`api_token: ${SECRETS.api_token}\ngithub:\n  value: '${SECRETS.github}'\n  description: repo read access\n`);
    const first = await run(["creds", "push"]);
    assert.equal(first.code, EXIT.ok, first.stderr);
    assert.equal(first.stdout, "created    api_token\ncreated    github\n");
    assert.match(first.stderr, /2 credentials: 2 created, 0 updated, 0 unchanged/);
    const again = await run(["creds", "push", "--json"]);
    assert.deepEqual(JSON.parse(again.stdout).results.map((r: { status: string }) => r.status), ["unchanged", "unchanged"]);
    writeCredentials(`api_token: ${SECRETS.api_token}-v2\ngithub:\n  value: '${SECRETS.github}'\n  description: repo read access\n`);
    const changed = await run(["creds", "push"]);
    assert.equal(changed.stdout, "updated    api_token\nunchanged  github\n");
    assert.deepEqual(await executorReads(["api_token", "github"]), [`${SECRETS.api_token}-v2`, SECRETS.github]);
    writeCredentials(`api_token: ${SECRETS.api_token}\ngithub:\n  value: '${SECRETS.github}'\n  description: repo read access\n`);
    await run(["creds", "push"]);
    assertNoPlaintext([...executor.bodies, ...executor.kv.entries.values(), first.stdout, first.stderr, changed.stdout]);
  });

  test("list shows names, descriptions and times, never values", async () => {
    const { code, stdout } = await run(["creds", "list"]);
    assert.equal(code, EXIT.ok);
    assert.match(stdout, /^NAME +UPDATED +DESCRIPTION\napi_token +\S.*\ngithub +.*repo read access\n$/);
    const json = JSON.parse((await run(["creds", "list", "--json"])).stdout);
    assert.deepEqual(json.credentials.map((c: { name: string }) => c.name), ["api_token", "github"]);
    assertNoPlaintext([stdout, JSON.stringify(json)]);
    assert.ok(!JSON.stringify(json).includes("encrypted"));
  });

  test("rm removes; an unknown name is a 404 with a suggestion", async () => {
    writeCredentials("temp_token: abc123\n", "extra.yaml");
    await run(["creds", "push", "extra.yaml"]);
    const removed = await run(["creds", "rm", "temp_token"]);
    assert.equal(removed.code, EXIT.ok);
    assert.equal(removed.stdout, "removed  temp_token\n");
    const unknown = await run(["creds", "rm", "api_tokn"]);
    assert.equal(unknown.code, EXIT.usage);
    assert.match(unknown.stderr, /No credential named "api_tokn" \(did you mean "api_token"\?\)/);
  });

  const BAD_FILES: [string, string, RegExp][] = [
    ["- a\n- b\n", "credentials_file_not_mapping", /is a list, not a mapping/],
    ["just text\n", "credentials_file_not_mapping", /is a single value, not a mapping/],
    ["", "credentials_file_not_mapping", /is empty/],
    ["token: ''\n", "credentials_file_invalid", /credential "token" is empty/i],
    ["token:\n", "credentials_file_invalid", /must be a string, not null/],
    ["pin: 0042\n", "credentials_file_invalid", /must be a string, not number.*quote/],
    [`big: ${"x".repeat(64 * 1024 + 1)}\n`, "credentials_file_invalid", /65537 bytes; the limit is 65536/],
    ["tok: {value: abc, secret: 1}\n", "credentials_file_invalid", /unknown field secret/],
    ["bad name: abc\n", "credentials_file_invalid", /name "bad name" is not allowed/],
    ["a: [unclosed\n", "credentials_file_invalid", /is not valid YAML/],
    ["a: 1x\na: 2x\n", "credentials_file_invalid", /not valid YAML/],
  ];
  for (const [text, code, message] of BAD_FILES) {
    test(`a bad file (${code}: ${message.source.slice(0, 30)}) is refused and nothing is sent`, async () => {
      writeCredentials(text, "bad.yaml");
      const before = new Map(executor.kv.entries);
      const sent = executor.bodies.length;
      const result = await run(["creds", "push", "bad.yaml", "--json"]);
      assert.equal(result.code, EXIT.usage);
      const error = JSON.parse(result.stdout).error;
      assert.equal(error.code, code);
      assert.match(`${error.message} ${(result.stderr)}`, message);
      assert.equal(executor.bodies.length, sent, "no request at all");
      assert.deepEqual(executor.kv.entries, before);
    });
  }

  test("a missing file says how to write one", async () => {
    const { code, stderr } = await run(["creds", "push", "nope.yaml"]);
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /no credentials file at nope\.yaml\nhint: create it/);
  });

  test("a key the executor does not use is refused before anything is sent", async () => {
    writeCredentials(`api_token: other-value\n`, "mismatch.yaml");
    const before = new Map(executor.kv.entries);
    const { code, stderr } = await run(["creds", "push", "mismatch.yaml"], { ARCRUN_ENCRYPTION_KEY: OTHER });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /your encryption key \(id \S+, from ARCRUN_ENCRYPTION_KEY\) is not the executor's/);
    assert.deepEqual(executor.kv.entries, before);
  });

  test("no key at all: run acr init", async () => {
    const { code, stderr } = await run(["creds", "push"], { ARCRUN_CONFIG: join(dir, "none.json") });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /no encryption key.*\nhint: run `acr init`/);
  });
});

describe("acr creds rotate-key", () => {
  test("re-encrypts every credential; the executor follows the config; old ciphertext is gone", async () => {
    const oldId = (await parseEncryptionKey(KEY)).id;
    const { code, stdout, stderr } = await run(["creds", "rotate-key", "--wait", "5"]);
    assert.equal(code, EXIT.ok, stderr);
    assert.match(stdout, /rotated 2 credentials to key \S+/);
    const saved = config();
    assert.notEqual(saved.encryption_key, KEY);
    assert.equal(saved.encryption_key_next, undefined);
    assert.equal(saved.encryption_key_previous, undefined);
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
    assert.deepEqual([...executor.kv.entries.keys()].sort(), ["cred:api_token", "cred:github"]);
    for (const value of executor.kv.entries.values()) assert.ok(!value.includes(oldId));
    // push keeps working with the new key: nothing changed
    const push = await run(["creds", "push"]);
    assert.equal(push.stdout, "unchanged  api_token\nunchanged  github\n");
  });

  test("interrupted while staging: everything still works, and running it again finishes", async () => {
    const before = config().encryption_key;
    executor.failStagedAfter = 1;
    const broken = await run(["creds", "rotate-key"]);
    assert.equal(broken.code, EXIT.runFailed);
    assert.match(broken.stderr, /simulated crash/);
    assert.equal(config().encryption_key, before);
    assert.ok(config().encryption_key_next, "the pending key is kept for the retry");
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
    const blocked = await run(["creds", "push"]);
    assert.equal(blocked.code, EXIT.usage);
    assert.match(blocked.stderr, /rotation is under way/);
    executor.failStagedAfter = undefined;
    const next = config().encryption_key_next;
    const resumed = await run(["creds", "rotate-key"]);
    assert.equal(resumed.code, EXIT.ok, resumed.stderr);
    assert.equal(config().encryption_key, next, "the retry uses the saved pending key");
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
  });

  test("an executor that does not load the new key: staged and still working; finished on the next run", async () => {
    const current = config().encryption_key;
    executor.pinnedKey = current; // like a deployed executor: its secret does not follow our config
    const waiting = await run(["creds", "rotate-key", "--wait", "0"]);
    assert.equal(waiting.code, EXIT.runFailed);
    assert.match(waiting.stderr, /does not use the new key \S+ yet; every credential is staged and still works/);
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
    // the operator sets the executor's secret to the new key; the executor reads staged copies until commit
    executor.pinnedKey = config().encryption_key;
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
    const finished = await run(["creds", "rotate-key", "--wait", "0"]);
    assert.equal(finished.code, EXIT.ok, finished.stderr);
    assert.match(finished.stdout, /rotated 2 credentials/);
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
    executor.pinnedKey = undefined;
  });

  test("--abort undoes a rotation the executor has not switched to", async () => {
    const current = config().encryption_key;
    executor.pinnedKey = current;
    await run(["creds", "rotate-key", "--wait", "0"]);
    assert.notEqual(config().encryption_key, current);
    const aborted = await run(["creds", "rotate-key", "--abort"]);
    assert.equal(aborted.code, EXIT.ok, aborted.stderr);
    assert.equal(config().encryption_key, current);
    assert.deepEqual(Object.keys(config()).sort(), ["encryption_key"]);
    assert.deepEqual([...executor.kv.entries.keys()].sort(), ["cred:api_token", "cred:github"]);
    executor.pinnedKey = undefined;
    assert.deepEqual(await executorReads(["api_token", "github"]), [SECRETS.api_token, SECRETS.github]);
  });

  test("refused when the key comes from ARCRUN_ENCRYPTION_KEY", async () => {
    const { code, stderr } = await run(["creds", "rotate-key"], { ARCRUN_ENCRYPTION_KEY: KEY });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /ARCRUN_ENCRYPTION_KEY is set/);
  });
});

describe("pollExecutorKey", () => {
  const list = (key_id: string) => ({ key_id }) as unknown as CredentialList;
  const refused = () => new CliError("cannot reach", { exitCode: EXIT.unreachable, code: "server_unreachable" });

  test("keeps polling while the local server restarts with the new key", async () => {
    const answers: (() => CredentialList)[] = [() => list("old"), () => { throw refused(); }, () => list("new")];
    assert.equal(await pollExecutorKey(async () => answers.shift()!(), "new", 5_000, 1), true);
    assert.equal(answers.length, 0);
  });

  test("other errors end the wait at once", async () => {
    const denied = new CliError("unauthorized", { exitCode: EXIT.usage, code: "unauthorized" });
    await assert.rejects(pollExecutorKey(async () => { throw denied; }, "new", 5_000, 1), /unauthorized/);
  });
});
