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
