/**
 * `acr test` end to end (issue 11 item 8): the real `acr` binary runs workflows in local
 * workerd with their outbound calls answered from `<name>.test.yaml` — the examples' fixtures, a
 * failing expectation, a call with no fixture (named), a bad fixtures file (exit 2 with
 * file:line:column), and `--record` against scripts/fake-apis.mjs (through
 * ARCRUN_OUTBOUND_PROXY) replayed offline, the credential's value never written.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain .mjs script without types
import { startFakeApis } from "../scripts/fake-apis.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "packages/cli/bin/acr.mjs");
const work = mkdtempSync(join(tmpdir(), "acr-test-e2e-"));

function acr(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ARCRUN_CONFIG: join(work, "no-config.json"), ...env };
  if (!env.ARCRUN_OUTBOUND_PROXY) delete base.ARCRUN_OUTBOUND_PROXY;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: base, maxBuffer: 16 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const TELEGRAM = (text: string) =>
  `{method: POST, host: api.telegram.org, path: "/bot{{credential.telegram_bot_token}}/sendMessage", body: {ok: true, result: {message_id: 1, text: "${text}"}}}`;
const SLACK = `{method: POST, host: slack.com, path: /api/chat.postMessage, body: {ok: true, channel: C0123456789, ts: "1.2"}}`;

describe("acr test", () => {
  before(() => {
    for (const name of ["wrong_text", "no_slack", "bad"]) copyFileSync(join(root, "examples/notify_signup.yaml"), join(work, `${name}.yaml`));
    writeFileSync(
      join(work, "wrong_text.test.yaml"),
      `credentials: {telegram_bot_token: "1:t"}\ncases:\n  - name: expects another text\n    input: {email: ada@example.com}\n    http: [${TELEGRAM("New signup: ada@example.com")}, ${SLACK}]\n    expect: {nodes: {telegram: {text: "Hello"}}}\n`,
    );
    writeFileSync(
      join(work, "no_slack.test.yaml"),
      `credentials: {telegram_bot_token: "1:t"}\ncases:\n  - name: slack has no fixture\n    input: {email: ada@example.com}\n    http: [${TELEGRAM("x")}]\n`,
    );
    // the project's own recipe (recipes/ beside the workflow) joins the test executor
    mkdirSync(join(work, "recipes"));
    writeFileSync(join(work, "recipes/team_ping.yaml"), readFileSync(join(root, "recipes/telegram_send.yaml"), "utf8").replace("name: telegram_send", "name: team_ping"));
    writeFileSync(join(work, "ping.yaml"), `name: ping\nflow: ["input >> ON_SUCCESS >> p"]\nconfig:\n  p: {component: team_ping, chat_id: 5, text: "hi {{input.who}}"}\n`);
    writeFileSync(join(work, "ping.test.yaml"), `cases:\n  - name: pings\n    input: {who: Ada}\n    http: [${TELEGRAM("hi Ada")}]\n    expect: {nodes: {p: {text: hi Ada}}}\n`);
    writeFileSync(join(work, "broken.yaml"), `name: broken\nflow: ["input >> ON_SUCCESS >> nowhere"]\nconfig: {}\n`);
    writeFileSync(join(work, "broken.test.yaml"), "cases: [{name: x}]\n");
    writeFileSync(join(work, "bad.test.yaml"), "cases:\n  - name: x\n    http:\n      - {method: POST, host: https://slack.com, path: /api}\n");
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test("acr test examples/*.yaml: every example with fixtures passes offline, each case listed, the others skipped, exit 0", async () => {
    const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml")).map((f) => join(root, "examples", f));
    const r = await acr(["test", ...examples]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const name of ["notify_signup", "triage_ticket", "summarize_page"]) assert.match(r.stdout, new RegExp(`examples/${name}\\.yaml  .*examples/${name}\\.test\\.yaml`));
    assert.match(r.stdout, /✓ announces a signup on Telegram and Slack/);
    assert.match(r.stdout, /✓ a billing complaint becomes a row in the sheet/);
    assert.match(r.stdout, /✓ an answer that breaks the schema gets one repair round/);
    assert.match(r.stdout, /✓ fetches the page and summarizes it/);
    assert.doesNotMatch(r.stdout, /✗/);
    assert.match(r.stdout, /^9 passed, 0 failed$/m);
    assert.match(r.stderr, /skipped \(no fixtures file beside them\): .*hello\.yaml/);
  });

  test("a failing expectation and a call with no fixture: exit 1, the difference and the call (method, host, path) named; --json", async () => {
    const r = await acr(["test", "wrong_text.yaml", "no_slack.yaml", "ping.yaml", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual([report.ok, report.passed, report.failed], [false, 1, 2]);
    const [wrong, missing, ping] = report.files.map((f: { cases: unknown[] }) => f.cases[0]);
    assert.deepEqual([ping.name, ping.ok, ping.failures], ["pings", true, []], "a project recipe runs too");
    assert.deepEqual(wrong.failures, ['nodes.telegram.text: expected "Hello", got "New signup: ada@example.com"']);
    assert.deepEqual(missing.missing, [{ method: "POST", host: "slack.com", path: "/api/chat.postMessage" }]);
    assert.match(missing.failures[0], /^no fixture for POST slack\.com \/api\/chat\.postMessage/);

    const text = await acr(["test", "no_slack.yaml"]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /✗ slack has no fixture/);
    assert.match(text.stdout, /no fixture for POST slack\.com \/api\/chat\.postMessage/);
    assert.match(text.stdout, /^0 passed, 1 failed$/m);
  });

  test("a bad fixtures file: exit 2 with file:line:column, before workerd starts; an invalid workflow: exit 2 with its issues", async () => {
    const r = await acr(["test", "bad.yaml"]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /bad\.test\.yaml is not a valid fixtures file/);
    assert.match(r.stderr, /bad\.test\.yaml:4:\d+ cases\.0\.http\.0\.host/);
    const invalid = await acr(["test", "broken.yaml"]);
    assert.equal(invalid.code, 2, invalid.stdout + invalid.stderr);
    assert.match(invalid.stderr, /broken\.yaml is not a valid workflow/);
    assert.match(invalid.stderr, /broken\.yaml:2:\d+ .*nowhere/);
    const usage = await acr(["test", "nope.yaml"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /no such file: nope\.yaml/);
  });

  test("--record captures the answers of a live run (credential value never written), then replays offline", async () => {
    const fake = await startFakeApis();
    try {
      copyFileSync(join(root, "examples/notify_signup.yaml"), join(work, "rec.yaml"));
      const secret = "987654:LIVE-secret-value";
      writeFileSync(join(work, "credentials.yaml"), `telegram_bot_token: "${secret}"\nslack_bot_token: xoxb-live-secret\n`);
      const r = await acr(["test", "--record", "rec.yaml", "--input", '{"email": "ada@example.com"}'], { ARCRUN_OUTBOUND_PROXY: `http://127.0.0.1:${fake.port}` });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /recorded 2 answer\(s\) into rec\.test\.yaml/);
      // the live run really went out, with the live token in the path
      assert.ok(fake.received.some((c: { path: string }) => decodeURIComponent(c.path) === `/bot${secret}/sendMessage`));
      const written = readFileSync(join(work, "rec.test.yaml"), "utf8");
      for (const leak of [secret, encodeURIComponent(secret), "LIVE-secret", "xoxb-live-secret"]) assert.ok(!written.includes(leak), `${leak} written`);
      assert.match(written, /path: \/bot\{\{credential\.telegram_bot_token\}\}\/sendMessage/);
      assert.match(written, /host: slack\.com/);
      assert.match(written, /output:/);

      rmSync(join(work, "credentials.yaml"));
      const before = fake.received.length;
      const replay = await acr(["test", "rec.yaml"]);
      assert.equal(replay.code, 0, replay.stdout + replay.stderr);
      assert.match(replay.stdout, /^1 passed, 0 failed$/m);
      assert.equal(fake.received.length, before, "the replay called nothing");
    } finally {
      await fake.close();
    }
  });
});
