/**
 * Parse + check a workflow in one call: the only way a workflow reaches the scheduler.
 * Every check runs on whatever parts are readable, so all problems come back at once,
 * sorted by line; only broken YAML syntax stops early (the rest of the file is then guesswork).
 */
import type { WorkflowIssue } from "../errors";
import type { ComponentResolver } from "../components/types";
import { checkComponents, resolveComponents } from "./check-components";
import { checkExpressions } from "./check-expressions";
import { checkGraph } from "./check-graph";
import { checkNames } from "./check-names";
import { checkParameters } from "./check-parameters";
import { checkRelations } from "./check-relations";
import { checkParsedSize, checkSourceSize } from "./check-size";
import { checkTemplates } from "./check-templates";
import { checkWaits } from "./check-waits";
import { checkTriggers } from "./check-triggers";
import { parseSource } from "./parse-source";
import { plainEdge, readFlow, type LocatedEdge } from "./read-flow";
import { WorkflowSchema, type CompiledWorkflow } from "./schema";
import { schemaIssues } from "./schema-issues";
import { viewOf } from "./workflow-view";
import { sha256Hex } from "../crypto/digest";

export interface CompileOptions {
  /** used to check component names, required inputs and branch labels */
  resolver: ComponentResolver;
  /** file name shown in issues */
  file?: string;
}

export type CompileResult = { ok: true; workflow: CompiledWorkflow } | { ok: false; issues: WorkflowIssue[] };

/** `source` is YAML text or an already-parsed object (JSON API). All issues are reported at once. */
export async function compileWorkflow(source: string | Record<string, unknown>, options: CompileOptions): Promise<CompileResult> {
  // the size cap comes first: a workflow over it is read no further (check-size.ts)
  const oversized = typeof source === "string" ? checkSourceSize(source) : [];
  if (oversized.length > 0) return refuse(oversized, options.file);
  const parsed = parseSource(source);
  const issues = [...parsed.issues];
  if (parsed.trustworthy) {
    const size = [...(typeof source === "string" ? [] : checkSourceSize(parsed.text)), ...checkParsedSize(parsed.data, readFlow(parsed.data, parsed.locate).edges.length)];
    issues.push(...(size.length > 0 ? size : await checkEverything(parsed.data, parsed.locate, options.resolver)));
  }
  if (issues.length > 0) return refuse(issues, options.file);

  const file = WorkflowSchema.parse(parsed.data);
  const { edges } = readFlow(parsed.data, parsed.locate);
  return {
    ok: true,
    workflow: {
      name: file.name,
      description: file.description,
      triggers: file.triggers ?? [],
      nodes: file.config,
      edges: edges.map(plainEdge),
      egress: file.egress ?? [],
      ...pick(file, ["idempotency_key", "retention_days", "on_error", "record", "max_trace_bytes", "ai"]),
      hash: await sha256Hex(parsed.text),
      source: parsed.text,
    },
  };
}

async function checkEverything(data: unknown, locate: ReturnType<typeof parseSource>["locate"], resolver: ComponentResolver): Promise<WorkflowIssue[]> {
  const view = viewOf(data);
  const flow = readFlow(data, locate);
  const names = checkNames(flow.edges, view, locate);
  // Graph checks see typos corrected, so one misspelt name is one issue, not a cascade.
  const graph: LocatedEdge[] = flow.edges.map((e) => ({
    ...e,
    from: names.corrections.get(e.from) ?? e.from,
    to: names.corrections.get(e.to) ?? e.to,
  }));
  const components = await resolveComponents(view, resolver);
  return [
    ...schemaIssues(data, locate),
    ...flow.issues,
    ...names.issues,
    ...checkRelations(flow.edges, view, components),
    ...checkGraph(graph, view),
    ...(await checkComponents(view, components, resolver, locate)),
    ...checkParameters(view, components, locate),
    ...checkExpressions(view, components, locate),
    ...checkTemplates(graph, view, locate),
    ...checkTriggers(data, locate),
    ...checkWaits(view, locate),
  ];
}

/** The keys of `object` that are set. */
function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

function refuse(issues: WorkflowIssue[], file: string | undefined): CompileResult {
  return { ok: false, issues: sortByPosition(issues).map((i) => (file ? { ...i, file } : i)) };
}

/** By line, then column; issues without a position (object sources) keep their order at the end. */
function sortByPosition(issues: WorkflowIssue[]): WorkflowIssue[] {
  const rank = (i: WorkflowIssue) => (i.line === undefined ? Infinity : i.line * 1e6 + (i.column ?? 0));
  return issues.map((issue, index) => ({ issue, index })).sort((a, b) => rank(a.issue) - rank(b.issue) || a.index - b.index).map((x) => x.issue);
}
