/**
 * The host behind `acr test` (issue 11 item 8): the production executor bundle in workerd
 * (in-memory KV/D1/R2, any free port), whose every outbound request passes the same outbound
 * handler as `npm start` (outbound.ts: egress checks, absolute-form proxying). The caller
 * chooses where the calls go:
 *
 * - `answer`: a local fixture server (node:http on 127.0.0.1, any free port) is the handler's
 *   ARCRUN_OUTBOUND_PROXY, and `answer(call)` decides each reply — the Worker has no test path;
 * - `record`: the calls go out as in `npm start` (to `proxy` when given, else the network) and
 *   `record(call, response)` sees each answer.
 *
 *   const host = await startWorkflowTestHost({ answer: (call) => ({ status: 200, body: "{}" }) });
 *   await host.fetch("/execute", {...}); await host.stop();
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { Miniflare, type Request, type Response, type WorkerOptions } from "miniflare";
import { prepareWorkerBundle } from "./executor-bundle";
import { executorMiniflareOptions } from "./miniflare-options";
import { outboundHandler } from "./outbound";

export interface TestCall {
  method: string;
  /** host with a port when it is not the scheme's default */
  host: string;
  /** path without the query */
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

export interface TestAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface WorkflowTestHostOptions {
  answer?: (call: TestCall) => TestAnswer | Promise<TestAnswer>;
  record?: (call: TestCall, answer: RecordedAnswer) => void;
  /** with `record`: send the calls to this http:// server in absolute form (default $ARCRUN_OUTBOUND_PROXY, else the network) */
  proxy?: string;
  /** the Worker's console output (default: dropped, so the caller's stdout stays its own) */
  runtimeOutput?: NodeJS.WritableStream;
}

export interface WorkflowTestHost {
  url: string;
  apiKey: string;
  /** ARCRUN_ENCRYPTION_KEY of this executor (base64), to seal the test's credentials */
  encryptionKey: string;
  fetch(path: string, init?: RequestInit): Promise<globalThis.Response>;
  stop(): Promise<void>;
}

export async function startWorkflowTestHost(options: WorkflowTestHostOptions): Promise<WorkflowTestHost> {
  if (!options.answer === !options.record) throw new Error("startWorkflowTestHost needs exactly one of answer and record");
  const stateDir = mkdtempSync(join(tmpdir(), "arcrun-test-host-"));
  const apiKey = randomBytes(24).toString("base64url");
  const encryptionKey = randomBytes(32).toString("base64");
  let fixtureServer: Server | undefined;
  let outbound: (request: Request) => Promise<Response>;
  if (options.answer) {
    fixtureServer = await startFixtureServer(options.answer);
    outbound = outboundHandler({ proxy: `http://127.0.0.1:${(fixtureServer.address() as AddressInfo).port}` });
  } else {
    const inner = outboundHandler({ proxy: options.proxy ?? (process.env.ARCRUN_OUTBOUND_PROXY || undefined) });
    const record = options.record!;
    outbound = async (request) => {
      const call = callOf(request.url, request.method, request.headers, request.body ? await request.clone().text() : "");
      const response = await inner(request);
      const body = await response.clone().text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      record(call, { status: response.status, headers, body });
      return response;
    };
  }
  const stop = async () => {
    await mf?.dispose().catch(() => {});
    await new Promise<void>((resolve) => (fixtureServer ? fixtureServer.close(() => resolve()) : resolve()));
    rmSync(stateDir, { recursive: true, force: true });
  };
  let mf: Miniflare | undefined;
  let url: string;
  try {
    const scriptPath = await prepareWorkerBundle(stateDir);
    mf = new Miniflare({
      ...executorMiniflareOptions({ scriptPath, apiKey, encryptionKey, port: 0, outbound: false }),
      outboundService: outbound as WorkerOptions["outboundService"],
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        for (const stream of [stdout, stderr]) {
          if (options.runtimeOutput) stream.pipe(options.runtimeOutput, { end: false });
          else stream.resume();
        }
      },
    });
    url = (await mf.unsafeGetDirectURL()).href.replace(/\/$/, "");
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    apiKey,
    encryptionKey,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${apiKey}`);
      return fetch(url + path, { ...init, headers });
    },
    stop,
  };
}

function callOf(href: string, method: string, headers: Headers | IncomingMessage["headers"], body: string): TestCall {
  const url = new URL(href);
  const flat: Record<string, string> = {};
  if (headers instanceof Headers) headers.forEach((value, key) => (flat[key] = value));
  else for (const [key, value] of Object.entries(headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(", ") : value;
  return { method: method.toUpperCase(), host: url.host, path: url.pathname, query: url.search, headers: flat, body };
}

/** The fixture server: requests arrive in absolute form (`POST https://api.telegram.org/bot…/sendMessage`) from the outbound handler. */
function startFixtureServer(answer: NonNullable<WorkflowTestHostOptions["answer"]>): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = /^[a-z]+:\/\//i.test(req.url ?? "") ? req.url! : `http://${req.headers.host ?? "unknown"}${req.url ?? "/"}`;
    try {
      const reply = await answer(callOf(target, req.method ?? "GET", req.headers, Buffer.concat(chunks).toString("utf8")));
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`acr test fixture server: ${(error as Error).message}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
