/**
 * Human output for one run (the one run shape of issue 2): a line per node with its status,
 * name, component and time, failures with their code and message, then the result and a
 * summary line. Pure: takes the record and a Style, returns text.
 */
import type { NodeTrace, RunRecord } from "@arcrun/core/run/schema";
import type { Style } from "./color";
import { padEnd } from "./color";
import { formatDuration, oneLine, prettyJson, type TruncateOptions } from "./values";

/**
 * Whether an answer is meant as a run record (a failed run comes back with a 4xx/5xx status
 * and the record): the shape is then checked against core's RunRecordSchema.
 */
export function isRunRecord(value: unknown): boolean {
  return !!value && typeof value === "object" && typeof (value as RunRecord).run_id === "string" && typeof (value as RunRecord).status === "string";
}

export function statusSymbol(status: string | undefined, style: Style): string {
  switch (status) {
    case "succeeded":
      return style.green("✓");
    case "failed":
      return style.red("✗");
    case "skipped":
      return style.dim("○");
    case "running":
      return style.yellow("…");
    case "waiting":
      return style.yellow("⏸");
    default:
      return style.dim("?");
  }
}

export function colorStatus(status: string | undefined, style: Style): string {
  const text = status ?? "unknown";
  if (status === "succeeded") return style.green(text);
  if (status === "failed") return style.red(text);
  if (status === "running" || status === "waiting") return style.yellow(text);
  return style.dim(text);
}

export function formatNodes(nodes: NodeTrace[], style: Style): string[] {
  const nameWidth = Math.max(4, ...nodes.map((n) => n.node.length));
  const componentWidth = Math.max(9, ...nodes.map((n) => n.component.length));
  const lines: string[] = [];
  for (const node of nodes) {
    const time = node.status === "skipped" ? style.dim("skipped") : formatDuration(node.duration_ms);
    const extras: string[] = [];
    if (node.branch) extras.push(`→ ${node.branch}`);
    if (node.attempts > 1) extras.push(`${node.attempts} attempts`);
    const suffix = extras.length ? `  ${style.dim(extras.join(", "))}` : "";
    lines.push(
      `  ${statusSymbol(node.status, style)} ${padEnd(style.bold(node.node), nameWidth)}  ${padEnd(style.dim(node.component), componentWidth)}  ${time}${suffix}`,
    );
    if (node.status === "failed" && node.error) {
      lines.push(`      ${style.red(`${node.error.code}:`)} ${oneLine(node.error.message, 300)}`);
      for (const log of (node.logs ?? []).slice(-5)) lines.push(`      ${style.dim(`│ ${oneLine(log, 200)}`)}`);
    }
  }
  return lines;
}

export function formatRun(run: RunRecord, style: Style, truncate?: TruncateOptions): string {
  const lines: string[] = [];
  const nodes = run.nodes;
  lines.push(`${style.bold(run.workflow)}  ${style.dim(`run ${run.run_id}${run.rerun_of ? ` (rerun of ${run.rerun_of})` : ""}`)}`);
  if (nodes.length) lines.push(...formatNodes(nodes, style));
  else lines.push(style.dim("  (no nodes ran)"));
  lines.push("");
  if (run.status === "failed") {
    const error = run.error;
    if (error) {
      // The executor's message often names the node already ("node "boom" failed: ...").
      const where = error.node && !error.message.includes(`"${error.node}"`) ? ` at node ${style.bold(error.node)}` : "";
      lines.push(`${style.red("error")}${where}: ${error.code}: ${oneLine(error.message, 400)}`);
    }
    if (run.result !== undefined && run.result !== null) lines.push(style.dim("result:"), prettyJson(run.result, truncate));
  } else if (run.status === "waiting" && run.waiting) {
    const w = run.waiting;
    lines.push(`${style.yellow("waiting")} at node ${style.bold(w.node)}: ${w.kind === "event" ? `for event ${w.event} (POST /runs/${run.run_id}/events/${w.event}) until ${w.until}` : `until ${w.until}`}`);
  } else if (run.status !== "running" && run.status !== "waiting") {
    lines.push(style.dim("result:"), prettyJson(run.result ?? null, truncate));
  }
  lines.push("");
  lines.push(`${statusSymbol(run.status, style)} ${colorStatus(run.status, style)} · run ${run.run_id} · ${formatDuration(run.duration_ms)}`);
  return lines.join("\n") + "\n";
}
