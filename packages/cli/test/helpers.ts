/** Test doubles: an in-memory CliIO, a tiny HTTP server standing in for the executor, a closed port. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RunRecordSchema, RunSummarySchema, type RunRecord, type RunSummary } from "@arcrun/core/run/schema";
import { runCli } from "../src/cli";
import type { CliIO } from "../src/io";

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export function fakeIO(overrides: Partial<CliIO> = {}): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readStdin: async () => "",
    env: {},
    cwd: process.cwd(),
    stdoutIsTTY: false,
    fetch: globalThis.fetch,
    waitForInterrupt: () => new Promise(() => {}),
    ...overrides,
  };
}

/** Runs `acr <argv>` in-process and collects what it printed. */
export async function acr(argv: string[], overrides: Partial<CliIO> = {}): Promise<Captured> {
  const io = fakeIO(overrides);
  const code = await runCli(argv, io);
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: RecordedRequest) => { status?: number; json?: unknown; text?: string };

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(recorded);
    const answer = handler(recorded);
    res.statusCode = answer.status ?? 200;
    if (answer.json !== undefined) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(answer.json));
    } else res.end(answer.text ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nobody listens on: bind one, then let it go. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A run record in the one run shape. */
/** A run record as the executor sends it, checked against core's schema (so a fixture cannot drift from the wire). */
export function runRecord(overrides: Record<string, unknown> = {}): RunRecord {
  return RunRecordSchema.parse({
    run_id: "run_0123456789abcdef",
    workflow: "hello",
    status: "succeeded",
    result: { greeting: "hi Ada" },
    started_at: "2026-04-26T10:00:00.000Z",
    duration_ms: 12,
    nodes: [
      { node: "check", component: "validate_json", status: "succeeded", input: {}, output: { ok: true }, error: null, attempts: 1, duration_ms: 3 },
      { node: "greet", component: "code", status: "succeeded", input: {}, output: { greeting: "hi Ada" }, error: null, attempts: 1, duration_ms: 7 },
    ],
    ...overrides,
  });
}

/** One entry of `GET /runs`: the record without its node traces. */
export function runSummary(overrides: Record<string, unknown> = {}): RunSummary {
  const { nodes: _nodes, ...summary } = runRecord(overrides);
  return RunSummarySchema.parse(summary);
}

/** A free port in [first, first + count): each test file owns its own range, so parallel files never collide. */
export async function freePort(first: number, count = 50): Promise<number> {
  for (let tries = 0, candidate = first + (process.pid % count); tries < count; tries++, candidate = first + ((candidate - first + 1) % count)) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once("error", () => resolve(false));
      probe.listen(candidate, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error(`no free port in ${first}-${first + count - 1}`);
}
