/**
 * Step one of compiling: turn the source (YAML text, or an object from a JSON API) into
 * plain data, the canonical text (what gets hashed), and a locator for positions.
 */
import { isCollection, isScalar, LineCounter, parseDocument, stringify, visit, type Document, type Node } from "yaml";
import type { WorkflowIssue } from "../errors";
import { depthExceeds, MAX_INPUT_DEPTH } from "../json/depth";
import { NO_POSITIONS, yamlLocator, type SourceLocator } from "./source-locator";

export interface ParsedSource {
  /** YAML text: as given, or the stringified object */
  text: string;
  /** the parsed value (anything: the schema check decides whether it is a workflow) */
  data: unknown;
  locate: SourceLocator;
  /** YAML syntax problems */
  issues: WorkflowIssue[];
  /**
   * false when the syntax is broken badly enough that the parsed data cannot be trusted
   * (an unclosed quote swallows the rest of the file): further checks would only add noise.
   */
  trustworthy: boolean;
}

/** YAML errors after which the document still means what it says. */
const HARMLESS_YAML_ERRORS = new Set(["DUPLICATE_KEY"]);

export function parseSource(source: string | Record<string, unknown>): ParsedSource {
  if (typeof source !== "string") {
    if (depthExceeds(source, MAX_INPUT_DEPTH)) return { text: "", data: undefined, locate: NO_POSITIONS, issues: [tooDeep()], trustworthy: false };
    return { text: stringify(source), data: source, locate: NO_POSITIONS, issues: [], trustworthy: true };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: WorkflowIssue[] = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(unclosedQuoteStart(doc, error.code, error.pos[0]) ?? error.pos[0]);
    return {
      code: "yaml_syntax",
      message: `YAML syntax: ${error.message.replace(/\s+/g, " ").trim()}`,
      hint: yamlHint(error.code),
      line,
      column: col,
    };
  });
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // the yaml library refuses to expand aliases past its budget ("billion laughs")
    if (!(error instanceof ReferenceError)) throw error;
    const { line, col } = lineCounter.linePos(expandingAlias(doc) ?? 0);
    issues.push({
      code: "yaml_aliases",
      message: `YAML aliases expand too much: ${error.message}`,
      hint: "write the values out, or use far fewer aliases (*name) to anchors that themselves contain aliases",
      line,
      column: col,
    });
    return { text: source, data: undefined, locate: NO_POSITIONS, issues, trustworthy: false };
  }
  if (depthExceeds(data, MAX_INPUT_DEPTH)) {
    issues.push({ ...tooDeep(), line: 1, column: 1 });
    return { text: source, data: undefined, locate: NO_POSITIONS, issues, trustworthy: false };
  }
  return {
    text: source,
    data,
    locate: yamlLocator(doc, lineCounter, source),
    issues,
    trustworthy: doc.errors.every((error) => HARMLESS_YAML_ERRORS.has(error.code)),
  };
}

/** The checks (and the YAML printer) walk the data recursively; no workflow needs this depth. */
function tooDeep(): WorkflowIssue {
  return {
    code: "too_deep",
    message: `the workflow nests maps or lists more than ${MAX_INPUT_DEPTH} levels deep`,
    hint: `flatten the nested values to at most ${MAX_INPUT_DEPTH} levels`,
  };
}

/** Offset of the first alias whose anchor itself holds aliases (where expansion multiplies), else of the first alias. */
function expandingAlias(doc: Document): number | undefined {
  let first: number | undefined;
  let multiplying: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      const at = alias.range?.[0];
      first ??= at;
      const target = alias.resolve(doc) as Node | undefined;
      let nested = false;
      if (target && isCollection(target)) visit(target, { Alias: () => ((nested = true), visit.BREAK) });
      if (nested && multiplying === undefined) {
        multiplying = at;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return multiplying ?? first;
}

/**
 * The parser notices an unclosed quote only at the end of the file; the user needs the
 * line where the quote was opened, i.e. where the quoted scalar running to that point starts.
 */
function unclosedQuoteStart(doc: Document, code: string, at: number): number | undefined {
  if (code !== "MISSING_CHAR") return undefined;
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const quoted = isScalar(node) && (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE");
      if (quoted && node.range && node.range[0] < at && at <= node.range[2]) start = node.range[0];
    },
  });
  return start;
}

function yamlHint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "each key may appear once in a map: remove or rename the repeated one";
    case "MISSING_CHAR":
      return "close the quote or bracket that was opened here";
    case "BAD_INDENT":
    case "MISSING_INDENT":
      return "indent nested keys with spaces, the same amount for every key of one map";
    case "TAB_AS_INDENT":
      return "YAML indentation uses spaces, not tabs";
    default:
      return "fix the YAML syntax here; quote flow lines that contain special characters, e.g. - \"(a)-[:ON_SUCCESS]->(b)\"";
  }
}
