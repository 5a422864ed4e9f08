/**
 * The grammar of one `flow` line. Two notations, mixed freely, even on one line:
 *
 *   triplet:    a >> ON_SUCCESS >> b >> ON_FAILURE >> c
 *   openCypher: (a)-[:ON_SUCCESS]->(b)-[:ON_FAILURE]->(c)
 *
 *   line      = node (connector node)+
 *   node      = name | "(" name ")"
 *   connector = ">>" RELATION ">>" | "-[" ":"? RELATION "]->"
 *
 * Whitespace is allowed between any two tokens. Offsets are 0-based into the line, so the
 * caller can turn them into YAML columns.
 */

/** An edge as written on a line, with where each part starts. */
export interface FlowEdge {
  from: string;
  relation: string;
  to: string;
  fromOffset: number;
  relationOffset: number;
  toOffset: number;
}

export type FlowLineResult = { ok: true; edges: FlowEdge[] } | { ok: false; message: string; offset: number };

export const FLOW_FORMS_HINT =
  'write an edge as "a >> ON_SUCCESS >> b" or "(a)-[:ON_SUCCESS]->(b)"; chains like "a >> ON_SUCCESS >> b >> ON_FAILURE >> c" work in both forms';

const NAME = /[A-Za-z0-9_]+/y;
const RELATION = /[A-Za-z_][A-Za-z0-9_]*/y;

class FlowSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export function parseFlowLine(text: string): FlowLineResult {
  try {
    return { ok: true, edges: new LineScanner(text).edges() };
  } catch (error) {
    if (error instanceof FlowSyntaxError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

class LineScanner {
  private at = 0;
  constructor(private readonly text: string) {}

  edges(): FlowEdge[] {
    this.space();
    if (this.done()) throw new FlowSyntaxError("empty flow line", 0);
    let from = this.node();
    const edges: FlowEdge[] = [];
    for (this.space(); !this.done(); this.space()) {
      const relation = this.connector(from.name);
      const to = this.node();
      edges.push({ from: from.name, relation: relation.name, to: to.name, fromOffset: from.offset, relationOffset: relation.offset, toOffset: to.offset });
      from = to;
    }
    if (edges.length === 0) throw new FlowSyntaxError(`"${from.name}" alone is not an edge: add a relation and a target node`, this.text.length);
    return edges;
  }

  private node(): { name: string; offset: number } {
    if (this.peek("(")) {
      this.at++;
      this.space();
      const name = this.token(NAME, "a node name");
      this.space();
      if (!this.peek(")")) throw this.expected(`")" after "(${name.name}"`);
      this.at++;
      return name;
    }
    return this.token(NAME, "a node name");
  }

  private connector(after: string): { name: string; offset: number } {
    if (this.peek(">>")) {
      this.at += 2;
      this.space();
      const relation = this.token(RELATION, "a relation such as ON_SUCCESS");
      this.space();
      if (!this.peek(">>")) throw this.expected(`">>" after relation ${relation.name}`);
      this.at += 2;
      this.space();
      return relation;
    }
    if (this.peek("<-")) throw new FlowSyntaxError('edges point left to right: write "(a)-[:REL]->(b)", not "<-"', this.at);
    if (this.peek("-")) {
      this.at++;
      this.space();
      if (!this.peek("[")) throw this.expected('"[" as in "-[:ON_SUCCESS]->"');
      this.at++;
      this.space();
      if (this.peek(":")) this.at++;
      this.space();
      const relation = this.token(RELATION, "a relation such as ON_SUCCESS");
      this.space();
      if (!this.peek("]")) throw this.expected(`"]" after relation ${relation.name}`);
      this.at++;
      this.space();
      if (!this.peek("->")) throw this.expected('"->" after "]"');
      this.at += 2;
      this.space();
      return relation;
    }
    throw this.expected(`">> RELATION >>" or "-[:RELATION]->" after node "${after}"`);
  }

  private token(pattern: RegExp, what: string): { name: string; offset: number } {
    pattern.lastIndex = this.at;
    const match = pattern.exec(this.text);
    if (!match) throw this.expected(what);
    this.at += match[0].length;
    return { name: match[0], offset: this.at - match[0].length };
  }

  private expected(what: string): FlowSyntaxError {
    const found = this.done() ? "the end of the line" : `"${this.text.slice(this.at, this.at + 12).trimEnd()}"`;
    return new FlowSyntaxError(`expected ${what}, found ${found}`, this.at);
  }

  private peek(literal: string): boolean {
    return this.text.startsWith(literal, this.at);
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private done(): boolean {
    return this.at >= this.text.length;
  }
}
