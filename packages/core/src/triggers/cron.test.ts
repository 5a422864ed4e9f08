import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cronDedupeKey, cronProblem, dueTriggers, formatFireTime, isDue, nextFireTimes, type CronTrigger } from "./cron";
import { memoryClaimStore } from "./claim-store";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 16) + "Z");
const at = (text: string) => new Date(text);

/** Every fire time of `trigger` in [from, to), minute by minute through isDue — the scheduled handler's view. */
function firesBetween(trigger: CronTrigger, from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 60_000) if (isDue(trigger, t)) out.push(new Date(t).toISOString().slice(0, 16) + "Z");
  return out;
}

describe("cron: next fire times and due-ness", () => {
  test("every 15 minutes in UTC by default", () => {
    const trigger = { cron: "*/15 * * * *" };
    assert.deepEqual(iso(nextFireTimes(trigger, at("2026-12-01T10:07:00Z"), 3)), ["2026-12-01T10:15Z", "2026-12-01T10:30Z", "2026-12-01T10:45Z"]);
    assert.equal(isDue(trigger, at("2026-12-01T10:15:00Z")), true);
    assert.equal(isDue(trigger, at("2026-12-01T10:16:00Z")), false);
  });

  test("the scheduled time is floored to its minute (a late wake-up still counts)", () => {
    assert.equal(isDue({ cron: "15 10 * * *" }, Date.parse("2026-12-01T10:15:42.250Z")), true);
    assert.equal(isDue({ cron: "15 10 * * *" }, Date.parse("2026-12-01T10:14:59.999Z")), false);
  });

  test("the timezone decides the wall clock", () => {
    const trigger = { cron: "0 9 * * *", timezone: "Europe/Berlin" };
    // 09:00 CET is 08:00 UTC in winter
    assert.deepEqual(iso(nextFireTimes(trigger, at("2026-12-01T00:00:00Z"), 2)), ["2026-12-01T08:00Z", "2026-12-02T08:00Z"]);
    assert.equal(isDue(trigger, at("2026-12-01T09:00:00Z")), false);
  });

  test("nicknames and names work", () => {
    assert.deepEqual(iso(nextFireTimes({ cron: "@daily" }, at("2026-12-01T10:00:00Z"), 1)), ["2026-12-02T00:00Z"]);
    // 2026-12-04 is a Friday
    assert.deepEqual(iso(nextFireTimes({ cron: "0 9 * * MON-FRI" }, at("2026-12-04T10:00:00Z"), 1)), ["2026-12-07T09:00Z"]);
  });

  test("formatFireTime shows local and UTC time", () => {
    assert.equal(formatFireTime(at("2026-03-29T01:00:00Z"), "Europe/Berlin"), "2026-03-29 03:00 Europe/Berlin (01:00 UTC)");
    assert.equal(formatFireTime(at("2026-03-29T01:00:00Z")), "2026-03-29 01:00 UTC");
  });
});

describe("cron: daylight-saving changes", () => {
  // Europe/Berlin 2026: 29 March 02:00 CET → 03:00 CEST (01:00 UTC); 25 October 03:00 CEST → 02:00 CET (01:00 UTC).
  // America/New_York 2026: 8 March 02:00 EST → 03:00 EDT (07:00 UTC); 1 November 02:00 EDT → 01:00 EST (06:00 UTC).

  test("Berlin spring forward: a fixed time in the skipped hour fires once, at 03:00", () => {
    const trigger = { cron: "30 2 * * *", timezone: "Europe/Berlin" };
    assert.deepEqual(iso(nextFireTimes(trigger, at("2026-03-28T12:00:00Z"), 2)), ["2026-03-29T01:00Z", "2026-03-30T00:30Z"]);
    assert.deepEqual(firesBetween(trigger, "2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z"), ["2026-03-29T01:00Z"]);
  });

  test("Berlin spring forward: interval minutes of the skipped hour do not exist", () => {
    // every 30 minutes during the 2 o'clock hour: that hour is missing on 29 March
    assert.deepEqual(firesBetween({ cron: "*/30 2 * * *", timezone: "Europe/Berlin" }, "2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z"), []);
    // every 15 minutes keeps a 15-minute rhythm in real time: 01:45 CET, then 03:00 CEST
    assert.deepEqual(iso(nextFireTimes({ cron: "*/15 * * * *", timezone: "Europe/Berlin" }, at("2026-03-29T00:40:00Z"), 3)), ["2026-03-29T00:45Z", "2026-03-29T01:00Z", "2026-03-29T01:15Z"]);
  });

  test("Berlin fall back: a fixed time in the repeated hour fires on the first occurrence only", () => {
    const trigger = { cron: "30 2 * * *", timezone: "Europe/Berlin" };
    // 02:30 CEST = 00:30 UTC; the second 02:30 (CET, 01:30 UTC) does not fire
    assert.deepEqual(firesBetween(trigger, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"), ["2026-10-25T00:30Z"]);
    assert.equal(isDue(trigger, at("2026-10-25T01:30:00Z")), false);
  });

  test("Berlin fall back: interval minutes of the repeated hour fire on both occurrences", () => {
    assert.deepEqual(firesBetween({ cron: "*/30 2 * * *", timezone: "Europe/Berlin" }, "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"), [
      "2026-10-25T00:00Z", "2026-10-25T00:30Z", // 02:00, 02:30 CEST
      "2026-10-25T01:00Z", "2026-10-25T01:30Z", // 02:00, 02:30 CET
    ]);
  });

  test("New York spring forward: 02:30 fires at 03:00 EDT; the 2 o'clock interval has no minutes", () => {
    const fixed = { cron: "30 2 * * *", timezone: "America/New_York" };
    assert.deepEqual(firesBetween(fixed, "2026-03-08T04:00:00Z", "2026-03-09T04:00:00Z"), ["2026-03-08T07:00Z"]);
    assert.deepEqual(firesBetween({ cron: "*/30 2 * * *", timezone: "America/New_York" }, "2026-03-08T04:00:00Z", "2026-03-09T04:00:00Z"), []);
  });

  test("New York fall back: 01:30 fires once (EDT); an hourly job fires at both 01:00s", () => {
    assert.deepEqual(firesBetween({ cron: "30 1 * * *", timezone: "America/New_York" }, "2026-11-01T04:00:00Z", "2026-11-02T04:00:00Z"), ["2026-11-01T05:30Z"]);
    assert.deepEqual(iso(nextFireTimes({ cron: "0 * * * *", timezone: "America/New_York" }, at("2026-11-01T04:30:00Z"), 3)), [
      "2026-11-01T05:00Z", // 01:00 EDT
      "2026-11-01T06:00Z", // 01:00 EST
      "2026-11-01T07:00Z", // 02:00 EST
    ]);
  });

  test("a list of fixed hours counts as fixed time (Vixie cron): 02:30 on spring-forward day moves to 03:00", () => {
    assert.deepEqual(firesBetween({ cron: "30 2,14 * * *", timezone: "Europe/Berlin" }, "2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z"), ["2026-03-29T01:00Z", "2026-03-29T12:30Z"]);
  });
});

describe("cron: problems found at validation", () => {
  test("a malformed expression says what is wrong", () => {
    const problem = cronProblem({ cron: "61 * * * *" });
    assert.equal(problem?.code, "cron_invalid");
    assert.equal(problem?.field, "cron");
    assert.match(problem!.message, /"61 \* \* \* \*" is not valid: Invalid value for minute: 61/);
    assert.equal(cronProblem({ cron: "*/15 * * *" })?.code, "cron_invalid");
  });

  test("a seconds field is refused: the scheduler wakes once a minute", () => {
    const problem = cronProblem({ cron: "0 */15 * * * *" });
    assert.equal(problem?.code, "cron_invalid");
    assert.match(problem!.message, /requires exactly 5 parts/);
  });

  test("an unknown timezone is named, with a suggestion", () => {
    assert.deepEqual(cronProblem({ cron: "* * * * *", timezone: "Mars/Olympus" })?.code, "timezone_unknown");
    assert.match(cronProblem({ cron: "* * * * *", timezone: "Europe/Berln" })!.message, /did you mean Europe\/Berlin\?/);
    assert.match(cronProblem({ cron: "* * * * *", timezone: "Berlin" })!.message, /did you mean Europe\/Berlin\?/);
  });

  test("an expression that can never fire", () => {
    assert.equal(cronProblem({ cron: "0 0 30 2 *" })?.code, "cron_never_fires");
  });

  test("valid triggers have no problem", () => {
    assert.equal(cronProblem({ cron: "*/15 * * * *", timezone: "Europe/Berlin" }), undefined);
    assert.equal(cronProblem({ cron: "@hourly", timezone: "UTC" }), undefined);
  });
});

describe("cron: dueTriggers for the scheduled handler", () => {
  const workflows = [
    { name: "digest", triggers: ["webhook", { cron: "0 9 * * *", timezone: "Europe/Berlin", input: { kind: "daily" } }] },
    { name: "poll", triggers: [{ cron: "*/15 * * * *" }, { cron: "0 * * * *", input: { kind: "hourly" } }] },
    { name: "manual_only", triggers: ["manual"] },
    { name: "broken", triggers: [{ cron: "not a cron" }] },
  ];

  test("returns exactly the triggers due in that minute, with input, scheduled time and dedupe key", () => {
    const { due, invalid } = dueTriggers(workflows, at("2026-12-01T08:00:30Z"));
    assert.deepEqual(due.map((d) => [d.workflow, d.trigger_index, d.input, d.scheduled_time, d.dedupe_key]), [
      ["digest", 1, { kind: "daily" }, "2026-12-01T08:00:00.000Z", "cron:digest:1:2026-12-01T08:00Z"],
      ["poll", 0, {}, "2026-12-01T08:00:00.000Z", "cron:poll:0:2026-12-01T08:00Z"],
      ["poll", 1, { kind: "hourly" }, "2026-12-01T08:00:00.000Z", "cron:poll:1:2026-12-01T08:00Z"],
    ]);
    assert.deepEqual(invalid.map((i) => [i.workflow, i.trigger_index]), [["broken", 0]]);
    assert.deepEqual(dueTriggers(workflows, at("2026-12-01T08:15:00Z")).due.map((d) => d.dedupe_key), ["cron:poll:0:2026-12-01T08:15Z"]);
    assert.deepEqual(dueTriggers(workflows, at("2026-12-01T08:07:00Z")).due, []);
  });

  test("waking twice for one minute starts one run per trigger (claims on the dedupe key)", async () => {
    const store = memoryClaimStore();
    const started: string[] = [];
    const wake = async (minute: Date, runPrefix: string) => {
      for (const d of dueTriggers(workflows, minute).due) {
        const runId = `${runPrefix}-${d.workflow}-${d.trigger_index}`;
        if ((await store.claim(d.dedupe_key, runId, 86_400)).claimed) started.push(runId);
      }
    };
    await Promise.all([wake(at("2026-12-01T08:00:00Z"), "first"), wake(at("2026-12-01T08:00:20Z"), "second")]);
    assert.equal(started.length, 3);
    assert.deepEqual(new Set(started.map((r) => r.replace(/^(first|second)-/, ""))), new Set(["digest-1", "poll-0", "poll-1"]));
    await wake(at("2026-12-01T08:15:00Z"), "third");
    assert.equal(started.length, 4);
  });

  test("the dedupe key is per minute, in UTC", () => {
    assert.equal(cronDedupeKey("poll", 0, Date.parse("2026-03-29T01:00:59.999Z")), "cron:poll:0:2026-03-29T01:00Z");
  });
});
