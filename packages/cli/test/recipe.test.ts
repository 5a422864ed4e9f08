/** `acr recipe` against the real executor in workerd: the push gate, list/show --json, rm. */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startExecutor, TEST_API_KEY, type TestExecutor } from "@arcrun/local/host/test-executor";
import { acr } from "./helpers";

describe("acr recipe", () => {
  let ex: TestExecutor;
  let file: string;
  const env = () => ({ ARCRUN_URL: ex.url, ARCRUN_API_KEY: TEST_API_KEY, ARCRUN_CONFIG: join(tmpdir(), "arcrun-none.json") });
  before(async () => {
    ex = await startExecutor();
    const dir = mkdtempSync(join(tmpdir(), "acr-recipe-"));
    file = join(dir, "team_ping.yaml");
    writeFileSync(file, readFileSync(new URL("../../../recipes/telegram_send.yaml", import.meta.url), "utf8").replace("name: telegram_send", "name: team_ping"));
  });
  after(() => ex?.stop());

  test("push without a terminal and without --yes refuses with exit 2 and stores nothing", async () => {
    const r = await acr(["recipe", "push", file], { env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /api\.telegram\.org/);
    assert.match(r.stderr, /chat_id, text/);
    assert.match(r.stderr, /--yes/);
    assert.equal((await ex.json("/recipes/team_ping")).status, 404);
  });

  test("push --yes --offline stores it; the missing credential is a warning and exit 1; list/show --json; rm", async () => {
    const r = await acr(["recipe", "push", file, "--yes", "--offline"], { env: env() });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /telegram_bot_token is not stored/);
    assert.match(r.stdout, /created recipe team_ping/);
    const list = await acr(["recipe", "list", "--json"], { env: env() });
    assert.ok(JSON.parse(list.stdout).recipes.some((x: { name: string; source: string }) => x.name === "team_ping" && x.source === "stored"));
    const show = await acr(["recipe", "show", "team_ping", "--json"], { env: env() });
    assert.deepEqual(JSON.parse(show.stdout).hosts, ["api.telegram.org"]);
    assert.equal((await acr(["recipe", "rm", "team_ping"], { env: env() })).code, 0);
    assert.equal((await ex.json("/recipes/team_ping")).status, 404);
  });

  test("an invalid recipe file is refused before anything is sent, with line and column", async () => {
    const bad = file.replace(".yaml", "_bad.yaml");
    writeFileSync(bad, readFileSync(file, "utf8").replace("kind: path", "kind: carrier_pigeon"));
    const r = await acr(["recipe", "push", bad, "--yes"], { env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /_bad\.yaml:\d+:\d+/);
  });
});
