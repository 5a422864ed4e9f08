/**
 * Triggers in the real Worker: the `scheduled` handler driven with a given time (through
 * Miniflare's `getWorker().scheduled`) fires exactly the due cron triggers, once per minute;
 * the push answer carries the next fire times.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startMinuteTick, type ScheduledTarget } from "@arcrun/local/host/minute-tick";
import { eventually, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const cronWorkflow = (name: string, triggers: string) => `name: ${name}
triggers: ${triggers}
flow: ["input >> ON_SUCCESS >> echo"]
config:
  echo:
    component: code
    input: "{{input}}"
    code: "return input"
`;

let ex: TestExecutor;
before(async () => {
  ex = await startExecutor();
});
after(() => ex?.stop());

async function push(yaml: string) {
  const res = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  return res.body;
}

async function tick(iso: string) {
  const worker = await ex.mf.getWorker();
  const result = await worker.scheduled({ scheduledTime: new Date(iso), cron: "* * * * *" });
  assert.equal(result.outcome, "ok");
}

async function cronRuns(workflow: string) {
  const { body } = await ex.json(`/runs?workflow=${workflow}&limit=500`);
  return (body.runs as { run_id: string; trigger: string; scheduled_time?: string; status: string; result: unknown }[]).filter((r) => r.trigger === "cron");
}

describe("cron triggers through the scheduled handler", () => {
  test("the push answer shows the next three fire times", async () => {
    const body = await push(cronWorkflow("berlin_morning", `[{cron: "0 9 * * *", timezone: Europe/Berlin, input: {kind: daily}}]`));
    assert.equal(body.schedules.length, 1);
    assert.equal(body.schedules[0].timezone, "Europe/Berlin");
    assert.equal(body.schedules[0].next.length, 3);
    assert.match(body.schedules[0].next_display[0], /09:00 Europe\/Berlin \(08:00 UTC\)$/);
  });

  test("a tick fires exactly the due workflows, with trigger cron and the scheduled time; a second tick for that minute starts nothing", async () => {
    await push(cronWorkflow("quarter", `[{cron: "*/15 * * * *", input: {every: 15}}, {cron: "0 * * * *", input: {every: 60}}]`));
    await push(cronWorkflow("at_noon", `[{cron: "0 12 * * *"}]`));
    await push(cronWorkflow("plain", `[webhook]`));

    await tick("2026-12-01T08:00:20Z");
    const quarter = await eventually(async () => {
      const runs = await cronRuns("quarter");
      return runs.length === 2 && runs.every((r) => r.status === "succeeded") ? runs : undefined;
    }, "the two quarter runs");
    assert.deepEqual(quarter.map((r) => r.scheduled_time), ["2026-12-01T08:00:00.000Z", "2026-12-01T08:00:00.000Z"]);
    assert.deepEqual(quarter.map((r) => (r.result as { every: number }).every).sort(), [15, 60]);
    const morning = await eventually(async () => {
      const runs = await cronRuns("berlin_morning");
      return runs.length === 1 && runs[0].status === "succeeded" ? runs : undefined;
    }, "the Berlin 09:00 run");
    assert.deepEqual(morning[0].result, { kind: "daily" });
    assert.deepEqual(await cronRuns("at_noon"), []);
    assert.deepEqual(await cronRuns("plain"), []);

    // the same minute again (a duplicated wake-up), twice at once: nothing new
    await Promise.all([tick("2026-12-01T08:00:50Z"), tick("2026-12-01T08:00:00Z")]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await cronRuns("quarter")).length, 2);
    assert.equal((await cronRuns("berlin_morning")).length, 1);

    // the next quarter hour fires only the */15 trigger
    await tick("2026-12-01T08:15:00Z");
    await eventually(async () => ((await cronRuns("quarter")).length === 3 ? true : undefined), "the 08:15 run");
    const latest = (await cronRuns("quarter"))[0];
    assert.equal(latest.scheduled_time, "2026-12-01T08:15:00.000Z");
  });

  test("a deleted workflow, or one whose cron trigger was removed, no longer fires", async () => {
    await push(cronWorkflow("gone_soon", `[{cron: "* * * * *"}]`));
    await push(cronWorkflow("edited", `[{cron: "* * * * *"}]`));
    await push(cronWorkflow("still_here", `[{cron: "* * * * *"}]`));
    assert.equal((await ex.fetch("/workflows/gone_soon", { method: "DELETE" })).status, 200);
    await push(cronWorkflow("edited", `[webhook]`));
    await tick("2026-12-01T10:03:00Z");
    await eventually(async () => ((await cronRuns("still_here")).length === 1 ? true : undefined), "the control run");
    assert.deepEqual(await cronRuns("gone_soon"), []);
    assert.deepEqual(await cronRuns("edited"), []);
  });
});

describe("the dev server's minute tick", () => {
  test("calls the same scheduled handler at the start of the next minute, with that minute", async () => {
    await push(cronWorkflow("every_minute", `[{cron: "* * * * *", input: {tick: true}}]`));
    // a clock 150 ms before a minute boundary
    const boundary = Date.parse("2026-12-01T11:00:00Z");
    const offset = boundary - 150 - Date.now();
    const lines: string[] = [];
    const stop = startMinuteTick(() => ex.mf.getWorker() as unknown as Promise<ScheduledTarget>, (l) => lines.push(l), () => Date.now() + offset);
    try {
      const runs = await eventually(async () => {
        const r = await cronRuns("every_minute");
        return r.length === 1 && r[0].status === "succeeded" ? r : undefined;
      }, "the ticked run");
      assert.equal(runs[0].scheduled_time, "2026-12-01T11:00:00.000Z");
      assert.deepEqual(lines, []);
    } finally {
      stop();
    }
  });
});

describe("bounded history and GET /runs paging", () => {
  test("retention: the tick deletes runs older than the workflow's retention_days (else 30 days) with their traces", async () => {
    const db = await ex.mf.getD1Database("ARCRUN_DB");
    await push(cronWorkflow("keep_week", `[webhook]\nretention_days: 7`));
    const day = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const rows: [string, string, string][] = [
      ["ret-a", "keep_week", ago(8)], // past its 7 days
      ["ret-b", "keep_week", ago(6)],
      ["ret-c", "some_other", ago(31)], // past the default 30
      ["ret-d", "some_other", ago(29)],
    ];
    for (const [id, wf, at] of rows) {
      await db.prepare("INSERT INTO runs (run_id, workflow, status, started_at, trigger) VALUES (?, ?, 'succeeded', ?, 'webhook')").bind(id, wf, at).run();
      await db.prepare("INSERT INTO node_traces (run_id, seq, node, component, status) VALUES (?, 0, 'n', 'code', 'succeeded')").bind(id).run();
    }
    await tick("2026-12-01T13:07:00Z");
    const left = await db.prepare("SELECT run_id FROM runs WHERE run_id LIKE 'ret-%' ORDER BY run_id").all<{ run_id: string }>();
    assert.deepEqual(left.results.map((r) => r.run_id), ["ret-b", "ret-d"]);
    const traces = await db.prepare("SELECT run_id FROM node_traces WHERE run_id LIKE 'ret-%' ORDER BY run_id").all<{ run_id: string }>();
    assert.deepEqual(traces.results.map((r) => r.run_id), ["ret-b", "ret-d"]);
  });

  test("GET /runs filters by trigger, status and time range, pages with an opaque cursor, and counts the filter", async () => {
    const db = await ex.mf.getD1Database("ARCRUN_DB");
    for (let i = 0; i < 7; i++) {
      await db
        .prepare("INSERT INTO runs (run_id, workflow, status, started_at, trigger) VALUES (?, 'paged', ?, ?, ?)")
        .bind(`pg-${i}`, i === 3 ? "failed" : "succeeded", new Date(Date.UTC(2026, 10, 1, i)).toISOString(), i % 2 ? "cron" : "webhook")
        .run();
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await ex.json(`/runs?workflow=paged&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.total, 7);
      seen.push(...body.runs.map((r: { run_id: string }) => r.run_id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ["pg-6", "pg-5", "pg-4", "pg-3", "pg-2", "pg-1", "pg-0"]);

    const cron = await ex.json("/runs?workflow=paged&trigger=cron");
    assert.deepEqual(cron.body.runs.map((r: { run_id: string }) => r.run_id), ["pg-5", "pg-3", "pg-1"]);
    assert.equal(cron.body.total, 3);
    assert.equal(cron.body.next_cursor, undefined);
    const failed = await ex.json("/runs?workflow=paged&status=failed&trigger=cron");
    assert.deepEqual(failed.body.runs.map((r: { run_id: string }) => r.run_id), ["pg-3"]);
    const window = await ex.json("/runs?workflow=paged&since=2026-11-01T02:00:00Z&until=2026-11-01T05:00:00%2B00:00");
    assert.deepEqual(window.body.runs.map((r: { run_id: string }) => r.run_id), ["pg-4", "pg-3", "pg-2"]);

    for (const bad of ["cursor=not-a-cursor", "since=yesterday", "status=done"]) {
      const res = await ex.json(`/runs?${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, "invalid_query", bad);
    }
  });
});
