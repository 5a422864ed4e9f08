/**
 * Cron triggers: `{cron: "*\/15 * * * *", timezone: "Europe/Berlin", input: {...}}`.
 * Expressions are parsed by croner (5 fields: the scheduled handler wakes once a minute, so
 * there is no seconds field); times are evaluated in the trigger's IANA timezone (default UTC).
 *
 * Daylight-saving semantics (Vixie cron's, croner's `fixedTimeRule: "no-wildcard"`):
 * - A *fixed-time* expression (minute and hour fields without `*` or a step, e.g. `30 2 * * *`,
 *   `0 2,14 * * *`) fires once a day at that wall-clock time. When the time is skipped by a
 *   spring-forward change it fires at the first minute after the gap (03:00); when it occurs
 *   twice in a fall-back change it fires on the first occurrence only.
 * - An *interval* expression (`*` or a step in minute or hour, e.g. `*\/15 * * * *`, `0 * * * *`)
 *   follows the wall clock: minutes inside a skipped hour do not exist and do not fire; minutes
 *   of a repeated hour fire on both occurrences (so it keeps firing every 15 real minutes).
 *
 * Nothing here keeps a timer: the executor's `scheduled` handler asks `dueTriggers` for the
 * minute it was woken for. Missed minutes (a stopped dev server) are not replayed.
 */
import { Cron } from "croner";
import { closest } from "../errors";

/** The cron entry of `triggers`, as the workflow schema accepts it. */
export interface CronTrigger {
  cron: string;
  /** IANA name, e.g. Europe/Berlin; default UTC */
  timezone?: string;
  /** the run's payload (`{{input}}`); default `{}` */
  input?: unknown;
}

export const DEFAULT_TIMEZONE = "UTC";
const MINUTE_MS = 60_000;

export type CronProblem =
  | { field: "cron"; code: "cron_invalid"; message: string; hint: string }
  | { field: "cron"; code: "cron_never_fires"; message: string; hint: string }
  | { field: "timezone"; code: "timezone_unknown"; message: string; hint: string };

export const CRON_HINT =
  'five fields: minute hour day-of-month month day-of-week, e.g. "*/15 * * * *" (every 15 minutes) or "0 9 * * MON-FRI" (09:00 on weekdays); @hourly, @daily, @weekly, @monthly and @yearly also work';

/** Why a trigger cannot be scheduled, or undefined when it can. `from` only matters for "never fires". */
export function cronProblem(trigger: CronTrigger, from: Date = new Date()): CronProblem | undefined {
  const zone = trigger.timezone ?? DEFAULT_TIMEZONE;
  if (!isKnownTimezone(zone)) {
    const suggestion = suggestTimezone(zone);
    return {
      field: "timezone",
      code: "timezone_unknown",
      message: `unknown timezone "${zone}"${suggestion ? ` — did you mean ${suggestion}?` : ""}`,
      hint: 'use an IANA timezone name, e.g. timezone: Europe/Berlin, America/New_York or UTC',
    };
  }
  let job: Cron;
  try {
    job = schedule(trigger);
  } catch (error) {
    return { field: "cron", code: "cron_invalid", message: `cron expression "${trigger.cron}" is not valid: ${explain(error)}`, hint: CRON_HINT };
  }
  if (job.nextRun(from) === null) {
    return { field: "cron", code: "cron_never_fires", message: `cron expression "${trigger.cron}" never fires (no such date)`, hint: "check day-of-month and month: e.g. 30 2 is February 30th" };
  }
  return undefined;
}

/** The next `n` fire times strictly after `from` (for `acr validate` / `acr push`). Throws on an invalid trigger. */
export function nextFireTimes(trigger: CronTrigger, from: Date, n: number): Date[] {
  return schedule(trigger).nextRuns(n, from);
}

/** Whether the trigger fires in the minute that contains `scheduledTime` (e.g. the `scheduled` event's time). */
export function isDue(trigger: CronTrigger, scheduledTime: Date | number): boolean {
  const minute = floorToMinute(scheduledTime);
  // croner works in whole seconds and returns the first fire time strictly after its reference.
  const next = schedule(trigger).nextRun(new Date(minute - 1000));
  return next !== null && next.getTime() === minute;
}

/** A workflow as far as scheduling is concerned (CompiledWorkflow fits). */
export interface SchedulableWorkflow {
  name: string;
  triggers: readonly unknown[];
}

/** One run the scheduled handler should start. */
export interface DueTrigger {
  workflow: string;
  /** position of the trigger in the workflow's `triggers` list */
  trigger_index: number;
  trigger: CronTrigger;
  /** the minute it fires for, ISO (`2026-03-29T01:00:00.000Z`): recorded on the run */
  scheduled_time: string;
  /** the run's payload */
  input: unknown;
  /** claim this (ClaimStore, CRON_DEDUPE_TTL_SECONDS) before starting: a second wake-up for the same minute starts nothing */
  dedupe_key: string;
}

/** Long enough to cover a retried or duplicated wake-up of the same minute. */
export const CRON_DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/**
 * Every cron trigger due in the minute of `minute`, in workflow order. Triggers that cannot be
 * scheduled (stored before validation existed) are skipped and reported in `invalid`.
 */
export function dueTriggers(workflows: Iterable<SchedulableWorkflow>, minute: Date | number): { due: DueTrigger[]; invalid: { workflow: string; trigger_index: number; message: string }[] } {
  const at = floorToMinute(minute);
  const due: DueTrigger[] = [];
  const invalid: { workflow: string; trigger_index: number; message: string }[] = [];
  for (const workflow of workflows) {
    workflow.triggers.forEach((trigger, index) => {
      if (!isCronTrigger(trigger)) return;
      let fires: boolean;
      try {
        fires = isDue(trigger, at);
      } catch (error) {
        invalid.push({ workflow: workflow.name, trigger_index: index, message: cronProblem(trigger)?.message ?? explain(error) });
        return;
      }
      if (!fires) return;
      due.push({
        workflow: workflow.name,
        trigger_index: index,
        trigger,
        scheduled_time: new Date(at).toISOString(),
        input: trigger.input ?? {},
        dedupe_key: cronDedupeKey(workflow.name, index, at),
      });
    });
  }
  return { due, invalid };
}

/**
 * `cron:{workflow}:{trigger index}:{minute, ISO UTC}`. Per (workflow, minute) and per trigger, so two
 * cron entries of one workflow that fall in the same minute (with different inputs) both run,
 * while a second wake-up for that minute starts nothing.
 */
export function cronDedupeKey(workflow: string, triggerIndex: number, minute: Date | number): string {
  return `cron:${workflow}:${triggerIndex}:${new Date(floorToMinute(minute)).toISOString().slice(0, 16)}Z`;
}

export function isCronTrigger(trigger: unknown): trigger is CronTrigger {
  return trigger !== null && typeof trigger === "object" && typeof (trigger as { cron?: unknown }).cron === "string";
}

/** `2026-03-29 03:00 Europe/Berlin (01:00 UTC)`, for showing fire times to a person. */
export function formatFireTime(time: Date, timezone: string = DEFAULT_TIMEZONE): string {
  const local = (zone: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .format(time)
      .replace(",", "");
  return timezone === "UTC" ? `${local("UTC")} UTC` : `${local(timezone)} ${timezone} (${local("UTC").slice(11)} UTC)`;
}

function schedule(trigger: CronTrigger): Cron {
  return new Cron(trigger.cron, { timezone: trigger.timezone ?? DEFAULT_TIMEZONE, mode: "5-part", fixedTimeRule: "no-wildcard" });
}

function floorToMinute(time: Date | number): number {
  const ms = typeof time === "number" ? time : time.getTime();
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function suggestTimezone(zone: string): string | undefined {
  const zones = Intl.supportedValuesOf("timeZone");
  const lower = zone.toLowerCase();
  const city = lower.split("/").pop()!;
  // Same city under another region (Berlin → Europe/Berlin), else the closest spelling.
  const byCity = zones.find((z) => z.toLowerCase().split("/").pop() === city);
  return byCity ?? closest(zone, zones);
}

/** croner's messages start with "CronPattern: "; keep what follows. */
function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Cron(Pattern|Date)?:\s*/, "").replace(/\.$/, "");
}

/** The next fire times of each cron trigger, for `acr validate` / the push answer. */
export interface CronSchedule {
  trigger_index: number;
  cron: string;
  timezone: string;
  /** ISO UTC */
  next: string[];
  /** formatFireTime of each, for people */
  next_display: string[];
}

export function cronSchedules(triggers: readonly unknown[], from: Date, n = 3): CronSchedule[] {
  const out: CronSchedule[] = [];
  triggers.forEach((trigger, index) => {
    if (!isCronTrigger(trigger) || cronProblem(trigger, from)) return;
    const times = nextFireTimes(trigger, from, n);
    const timezone = trigger.timezone ?? DEFAULT_TIMEZONE;
    out.push({ trigger_index: index, cron: trigger.cron, timezone, next: times.map((t) => t.toISOString()), next_display: times.map((t) => formatFireTime(t, timezone)) });
  });
  return out;
}
