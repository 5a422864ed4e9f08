/**
 * A forgiving view of the parsed data for the checks: whatever parts are well-formed,
 * even when the schema check failed elsewhere, so one broken node hides nothing else.
 */
import type { Component } from "../components/types";

export interface WorkflowView {
  /** config entry name → its map (undefined when the entry is not a map: the schema reports that) */
  nodes: Map<string, Record<string, unknown> | undefined>;
}

export function viewOf(data: unknown): WorkflowView {
  const nodes = new Map<string, Record<string, unknown> | undefined>();
  const config = isRecord(data) ? data.config : undefined;
  if (isRecord(config)) for (const [name, entry] of Object.entries(config)) nodes.set(name, isRecord(entry) ? entry : undefined);
  return { nodes };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The component a node names, and what the resolver found for it (undefined: unknown). */
export interface NodeComponent {
  name: string;
  component?: Component;
}
