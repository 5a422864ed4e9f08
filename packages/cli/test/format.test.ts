import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ansi, plain, useColor, visibleLength } from "../src/format/color";
import { formatIssues } from "../src/format/issues";
import { formatRun } from "../src/format/run";
import { formatRunList, formatWorkflows, listFrom } from "../src/format/tables";
import { formatDuration, formatTimestamp, prettyJson } from "../src/format/values";
import { runRecord } from "./helpers";

describe("formatDuration", () => {
  test("picks a unit a person reads at a glance", () => {
    assert.equal(formatDuration(0.4), "<1 ms");
    assert.equal(formatDuration(12.4), "12 ms");
    assert.equal(formatDuration(1530), "1.53 s");
    assert.equal(formatDuration(42_000), "42.0 s");
    assert.equal(formatDuration(125_000), "2 min 5 s");
    assert.equal(formatDuration(undefined), "-");
  });
});

describe("prettyJson", () => {
  test("small values are printed whole", () => {
    assert.equal(prettyJson({ a: 1 }), '{\n  "a": 1\n}');
    assert.equal(prettyJson(undefined), "null");
  });
  test("huge values are cut, with a note saying how much and how to get it all", () => {
    const big = Array.from({ length: 500 }, (_, i) => ({ i }));
    const text = prettyJson(big, { maxLines: 10 });
    assert.equal(text.split("\n").length, 11);
    assert.match(text, /truncated: \d+ more lines, .* in all; use --json for everything/);
  });
  test("one very long line is cut by characters", () => {
    const text = prettyJson("x".repeat(50_000), { maxChars: 100 });
    assert.ok(text.length < 200);
    assert.match(text, /truncated/);
  });
});

describe("formatRun", () => {
  test("one line per node: symbol, name, component, time; then result and summary", () => {
    const text = formatRun(runRecord(), plain);
    const lines = text.split("\n");
    assert.match(lines[0], /^hello {2}run run_0123456789abcdef$/);
    assert.match(lines[1], /^ {2}✓ check +validate_json +3 ms$/);
    assert.match(lines[2], /^ {2}✓ greet +code +7 ms$/);
    assert.match(text, /result:\n\{\n {2}"greeting": "hi Ada"\n\}/);
    assert.match(text, /✓ succeeded · run run_0123456789abcdef · 12 ms\n$/);
  });

  test("a waiting run says on what, and how to send its event", () => {
    const text = formatRun(runRecord({ status: "waiting", result: null, waiting: { node: "approval", kind: "event", event: "approval", until: "2026-12-03T10:00:00.000Z" } }), plain);
    assert.match(text, /waiting at node approval: for event approval \(POST \/runs\/run_0123456789abcdef\/events\/approval\) until 2026-12-03T10:00:00.000Z/);
    assert.match(text, /⏸ waiting · run run_0123456789abcdef/);
    assert.doesNotMatch(text, /result:/);
  });

  test("a failed node shows its error code and message; skipped nodes say so", () => {
    const run = runRecord({
      status: "failed",
      result: null,
      error: { code: "http_error", message: "upstream said 500", node: "notify" },
      nodes: [
        { node: "notify", component: "http_request", status: "failed", input: {}, output: null, error: { code: "http_error", message: "upstream said 500" }, attempts: 3, duration_ms: 40, logs: ["retrying"] },
        { node: "after", component: "code", status: "skipped", input: null, output: null, error: null, attempts: 0, duration_ms: 0 },
      ],
    });
    const text = formatRun(run, plain);
    assert.match(text, /✗ notify +http_request +40 ms {2}3 attempts/);
    assert.match(text, / {6}http_error: upstream said 500/);
    assert.match(text, /│ retrying/);
    assert.match(text, /○ after +code +skipped/);
    assert.match(text, /error at node notify: http_error: upstream said 500/);
    const named = formatRun({ ...run, error: { code: "code_error", message: 'node "notify" failed: boom', node: "notify" } }, plain);
    assert.match(named, /\nerror: code_error: node "notify" failed: boom\n/);
    assert.match(text, /✗ failed · run/);
    assert.doesNotMatch(text, /result:/);
  });

  test("branch labels of logic nodes are shown", () => {
    const run = runRecord({ nodes: [{ node: "gate", component: "if", status: "succeeded", input: {}, output: true, error: null, branch: "ON_TRUE", attempts: 1, duration_ms: 1 }] });
    assert.match(formatRun(run, plain), /✓ gate +if +1 ms {2}→ ON_TRUE/);
  });

  test("colors are ANSI codes only in the colored style, and columns still line up", () => {
    const colored = formatRun(runRecord(), ansi);
    assert.match(colored, /\x1b\[32m✓\x1b\[39m/);
    const nodeLines = colored.split("\n").slice(1, 3);
    assert.equal(visibleLength(nodeLines[0]), nodeLines[0].replace(/\x1b\[[0-9;]*m/g, "").length);
    assert.equal(nodeLines[0].replace(/\x1b\[[0-9;]*m/g, "").indexOf("validate_json"), nodeLines[1].replace(/\x1b\[[0-9;]*m/g, "").indexOf("code"));
    assert.doesNotMatch(formatRun(runRecord(), plain), /\x1b/);
  });
});

describe("useColor", () => {
  test("only on a TTY, never with NO_COLOR or --no-color, forced by FORCE_COLOR", () => {
    assert.equal(useColor(true, {}), true);
    assert.equal(useColor(false, {}), false);
    assert.equal(useColor(true, { NO_COLOR: "1" }), false);
    assert.equal(useColor(true, {}, false), false);
    assert.equal(useColor(false, { FORCE_COLOR: "1" }), true);
  });
});

describe("formatIssues", () => {
  test("file:line:col  node  message, then the hint, sorted by line", () => {
    const text = formatIssues(
      [
        { code: "unknown_component", message: "unknown component \"valdate_json\"", hint: "did you mean validate_json?", line: 9, column: 16, node: "check" },
        { code: "cycle", message: "cycle: a → b → a", line: 4, column: 5 },
      ],
      "flows/x.yaml",
      plain,
    );
    assert.equal(
      text,
      'flows/x.yaml:4:5  cycle: a → b → a\nflows/x.yaml:9:16  check  unknown component "valdate_json"\n  hint: did you mean validate_json?\n2 problems in flows/x.yaml\n',
    );
  });
  test("an issue without a position still names the file", () => {
    assert.match(formatIssues([{ code: "schema", message: "no flow" }], "a.yaml", plain), /^a\.yaml {2}no flow\n1 problem in a\.yaml\n$/);
  });
});

describe("tables", () => {
  test("workflows: name, updated, description", () => {
    const text = formatWorkflows([{ name: "signup_alert", updated_at: "2026-04-26T10:00:00.000Z", description: "Tell the team" }], plain);
    assert.match(text, /^NAME +UPDATED +DESCRIPTION\nsignup_alert +2026-04-26 10:00:00 +Tell the team\n$/);
    assert.match(formatWorkflows([], plain), /acr push/);
    assert.equal(formatWorkflows([{ name: "a", updated_at: "2026-04-26T10:00:00Z" }], plain), "NAME  UPDATED\na     2026-04-26 10:00:00\n");
  });
  test("runs: id, workflow, status, start, duration and the failing node", () => {
    const text = formatRunList(
      [{ run_id: "r1", workflow: "w", status: "failed", started_at: "2026-04-26T10:00:00Z", duration_ms: 5, result: null, error: { code: "code_error", node: "n", message: "boom" } }],
      plain,
    );
    assert.match(text, /r1 +w +failed +2026-04-26 10:00:00 +5 ms +n: boom/);
  });
  test("lists are accepted bare or wrapped", () => {
    assert.deepEqual(listFrom([1], "runs"), [1]);
    assert.deepEqual(listFrom({ runs: [2] }, "runs"), [2]);
    assert.deepEqual(listFrom({ other: 1 }, "runs"), []);
    assert.equal(formatTimestamp("2026-04-26T10:00:00.123Z"), "2026-04-26 10:00:00");
  });
});
