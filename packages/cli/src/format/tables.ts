/** Tables for `acr list` and `acr logs` (many runs). Pure. */
import { padEnd, type Style } from "./color";
import type { RunSummary } from "@arcrun/core/run/schema";
import { colorStatus } from "./run";
import { formatDuration, formatTimestamp, oneLine } from "./values";

export function formatTable(header: string[], rows: string[][], style: Style): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").replace(/\x1b\[[0-9;]*m/g, "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i]))).join("  ").trimEnd();
  return [style.dim(line(header)), ...rows.map(line)].join("\n") + "\n";
}

export interface WorkflowView {
  name: string;
  description?: string;
  updated_at?: string;
  webhook_url?: string;
  query_url?: string;
}

export function formatWorkflows(workflows: WorkflowView[], style: Style): string {
  if (workflows.length === 0) return `no workflows yet: ${style.bold("acr push <file>")} stores one\n`;
  // The executor's list has no descriptions today; show the column only when there is something in it.
  if (!workflows.some((w) => w.description)) {
    return formatTable(["NAME", "UPDATED"], workflows.map((w) => [style.bold(w.name), formatTimestamp(w.updated_at)]), style);
  }
  const rows = workflows.map((w) => [style.bold(w.name), formatTimestamp(w.updated_at), oneLine(w.description ?? "", 70)]);
  return formatTable(["NAME", "UPDATED", "DESCRIPTION"], rows, style);
}

export function formatRunList(runs: RunSummary[], style: Style): string {
  if (runs.length === 0) return "no runs match\n";
  const rows = runs.map((r) => [
    r.run_id,
    r.workflow,
    colorStatus(r.status, style),
    formatTimestamp(r.started_at),
    formatDuration(r.duration_ms),
    r.status === "failed" && r.error ? oneLine(`${r.error.node ? `${r.error.node}: ` : ""}${r.error.message}`, 60) : "",
  ]);
  return formatTable(["RUN", "WORKFLOW", "STATUS", "STARTED (UTC)", "DURATION", "ERROR"], rows, style);
}

/** Lists come back as `[...]` or `{workflows: [...]}` / `{runs: [...]}`; accept both. */
export function listFrom<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const inner = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
