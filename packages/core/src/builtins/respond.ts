/**
 * `respond`: what a synchronous trigger (`GET /q/:name`, `POST /webhooks/named/:name/query`)
 * answers instead of the run record — an HTTP response built from templates. The run is still
 * recorded; the node's data is the response it describes.
 *
 *   ok:
 *     component: respond
 *     status: 200                      # default 200; 100–599 (a number, or its three digits as text)
 *     headers: {x-request: "{{input.id}}"}
 *     body: {greeting: "{{template.data}}", score: "{{compute.data.score}}"}
 *
 * A body that is a string is sent as is (`text/plain; charset=utf-8` unless a content-type
 * header says otherwise); anything else as JSON (`application/json`). When several respond
 * nodes succeed in one run, the last in the flow's order answers (see run/respond.ts).
 *
 * data = {status, headers, body}
 */
import type { Component } from "../components/types";

/** A header name as RFC 9110 allows it (a token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the executor owns: the length and framing of its own answer. */
const RESERVED = new Set(["content-length", "transfer-encoding", "connection"]);

export interface ResponseSpec {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const respondComponent: Component = {
  name: "respond",
  kind: "builtin",
  selfLimited: true, // no I/O, little work: no time-limit race (node-runner.ts)
  contract: {
    name: "respond",
    version: "1.0.0",
    description: "Answer a synchronous trigger with this HTTP response (status, headers, body)",
    category: "logic",
    input_schema: {
      type: "object",
      properties: {
        status: { type: "integer", minimum: 100, maximum: 599 },
        headers: { type: "object", additionalProperties: { type: "string" } },
        body: {},
      },
    },
  },
  async run(params) {
    // a status from a query string arrives as text
    const status = typeof params.status === "string" && /^\d{3}$/.test(params.status) ? Number(params.status) : (params.status ?? 200);
    if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
      return invalid(`respond status must be an integer from 100 to 599, got ${JSON.stringify(status)}`);
    }
    const headers: Record<string, string> = {};
    const given = params.headers ?? {};
    if (typeof given !== "object" || given === null || Array.isArray(given)) return invalid("respond headers must be an object of header name → text");
    for (const [name, value] of Object.entries(given)) {
      if (!HEADER_NAME.test(name)) return invalid(`respond header name ${JSON.stringify(name)} is not a valid HTTP header name`);
      if (RESERVED.has(name.toLowerCase())) return invalid(`respond header ${name} is set by the executor; leave it out`);
      const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
      if (text === undefined || /[\r\n\0]/.test(text)) return invalid(`respond header ${name} must be one line of text`);
      headers[name.toLowerCase()] = text;
    }
    const spec: ResponseSpec = { status, headers, body: params.body ?? null };
    return { success: true, data: spec };
  },
};

function invalid(message: string) {
  return { success: false as const, error: { code: "invalid_input", message } };
}
