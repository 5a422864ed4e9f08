/**
 * `acr test`, the part that runs (commands/test.ts parses the command line). One executor in
 * local workerd for every file and case (@arcrun/local's workflow test host); each case's
 * outbound calls are answered from its fixtures, a call with no fixture fails the case and is
 * named; `--record` sends the calls out instead and writes what came back into the fixtures.
 * Imported only by commands/test.ts, so other commands never load Miniflare.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { stringify } from "yaml";
import { encryptCredential, fingerprintCredential, parseEncryptionKey } from "@arcrun/core";
import { credentialRefs, type CredentialRef } from "@arcrun/core/credentials/needs";
import { compileWorkflow } from "@arcrun/core/workflow/compile";
import { mustLoadRecipe, recipeComponent } from "@arcrun/core/recipes/index";
import type { ComponentResolver } from "@arcrun/core/components/types";
import { decodePath, fixtureAnswers, judgeRun, maskCredentials, type JudgedRun, type OutboundCall } from "@arcrun/core/fixtures/match";
import type { FixtureCase, FixturesFile, HttpFixture } from "@arcrun/core/fixtures/schema";
import { startWorkflowTestHost, type RecordedAnswer, type TestCall, type WorkflowTestHost } from "@arcrun/local/host/workflow-test-host";
import type { CliContext } from "../context";
import { CliError } from "../exit";
import { loadLocalComponents } from "../local-components";
import { parseCredentials } from "../credentials/file";
import { readFixtures, type TestTarget } from "./files";

export interface TestOptions {
  record?: boolean;
  /** --record without a fixtures file: the one case's input */
  input?: unknown;
  /** --record: real credentials (default credentials.yaml when it exists) */
  credentialsFile?: string;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  duration_ms: number;
  run_id?: string;
  /** outbound calls no fixture answered */
  missing: OutboundCall[];
  failures: string[];
}

export interface FileResult {
  workflow: string;
  fixtures: string;
  cases: CaseResult[];
  /** --record: how many answers were written */
  recorded?: number;
}

interface CurrentCase {
  answers: ReturnType<typeof fixtureAnswers>;
  credentials: Record<string, string>;
  missing: OutboundCall[];
  recorded: HttpFixture[];
}

export async function runTests(ctx: CliContext, targets: TestTarget[], options: TestOptions): Promise<FileResult[]> {
  // every fixtures file and workflow is read and checked before workerd starts
  const loaded = targets.map((target) => ({
    target,
    fixtures: existsSync(target.fixturesPath) ? readFixtures(target) : undefined,
    workflow: readFileSync(target.workflowPath, "utf8"),
  }));
  for (const item of loaded) {
    if (!item.fixtures && !options.record) throw new CliError(`no fixtures file ${item.target.fixturesFile}`, { code: "fixtures_missing" });
  }
  const live = options.record ? readLiveCredentials(ctx, options.credentialsFile) : {};

  let current: CurrentCase | undefined;
  const answer = (call: TestCall) => {
    const masked: OutboundCall = { method: call.method, host: call.host, path: maskCredentials(decodePath(call.path), current?.credentials ?? {}) };
    const fixture = current?.answers.answer(call);
    if (!fixture) {
      current?.missing.push(masked);
      return { status: 404, headers: { "content-type": "text/plain", "x-arcrun-fixture": "missing" }, body: `acr test: no fixture for ${masked.method} ${masked.host}${masked.path}` };
    }
    const json = fixture.body !== undefined && typeof fixture.body !== "string";
    const headers = { ...(json ? { "content-type": "application/json" } : {}), ...fixture.headers };
    return { status: fixture.status, headers, body: fixture.body === undefined ? "" : json ? JSON.stringify(fixture.body) : (fixture.body as string) };
  };
  const record = (call: TestCall, got: RecordedAnswer) => {
    if (!current) return;
    current.recorded.push(recordedFixture(call, got, current.credentials));
  };

  const runtimeOutput = ctx.io.env.ACR_DEBUG ? process.stderr : undefined; // the Worker's log lines, on request
  const host = await startWorkflowTestHost(options.record ? { record, runtimeOutput } : { answer, runtimeOutput });
  const results: FileResult[] = [];
  try {
    for (const item of loaded) {
      const fixtures: FixturesFile = item.fixtures ?? { credentials: {}, http: [], cases: [{ name: "recorded", input: options.input ?? {}, http: [], expect: {} }] };
      const credentials = await seedCredentials(host, item.workflow, item.target, fixtures, live);
      const cases: CaseResult[] = [];
      const rerecorded: FixtureCase[] = [];
      for (const testCase of fixtures.cases) {
        current = { answers: fixtureAnswers([...testCase.http, ...fixtures.http], credentials), credentials, missing: [], recorded: [] };
        const started = performance.now();
        const run = await execute(host, item.workflow, testCase.input, item.target);
        const failures = [
          ...(options.record ? [] : current.missing.map((m) => `no fixture for ${m.method} ${m.host} ${m.path} (add it to the case's http, or record one: acr test --record)`)),
          ...(options.record && Object.keys(testCase.expect).length === 0 ? [] : judgeRun(testCase.expect, run)),
        ];
        cases.push({ name: testCase.name, ok: failures.length === 0, duration_ms: Math.round(performance.now() - started), run_id: (run as { run_id?: string }).run_id, missing: current.missing, failures });
        if (options.record) rerecorded.push({ ...testCase, http: dedupe(current.recorded), expect: Object.keys(testCase.expect).length ? testCase.expect : expectationOf(run) });
        current = undefined;
      }
      const result: FileResult = { workflow: item.target.workflowFile, fixtures: item.target.fixturesFile, cases };
      if (options.record) {
        writeRecorded(item.target, item.fixtures, fixtures, rerecorded);
        result.recorded = rerecorded.reduce((n, c) => n + c.http.length, 0);
      }
      results.push(result);
    }
  } finally {
    await host.stop();
  }
  return results;
}

/** The workflow's credentials, stored in the test executor: the fixtures' test values, live ones with --record, a placeholder for the rest. */
async function seedCredentials(host: WorkflowTestHost, workflow: string, target: TestTarget, fixtures: FixturesFile, live: Record<string, string>): Promise<Record<string, string>> {
  const local = await loadLocalComponents(dirname(target.workflowPath));
  await pushProjectRecipes(host, local.recipesDir);
  const resolver: ComponentResolver = {
    resolve: async (name) => {
      const known = await local.resolver.resolve(name);
      if (known && known.kind !== "recipe") return known;
      const res = await host.fetch(`/recipes/${encodeURIComponent(name)}`);
      if (res.ok) return recipeComponent(mustLoadRecipe(((await res.json()) as { yaml: string }).yaml));
      return known;
    },
    list: () => local.resolver.list(),
  };
  const compiled = await compileWorkflow(workflow, { resolver, file: target.workflowFile });
  const refs: CredentialRef[] = compiled.ok ? await credentialRefs(compiled.workflow, resolver) : [];
  const values: Record<string, string> = { ...fixtures.credentials };
  const have = (name: string) => name in values || name in live;
  for (const ref of refs) {
    const names = ref.one_of ? (ref.one_of.find((set) => set.every(have)) ?? ref.one_of[0]) : [ref.name];
    for (const name of names) if (!have(name)) values[name] = `test-${name}`;
  }
  for (const [name, value] of Object.entries(live)) if (refs.some((r) => r.name === name || r.one_of?.some((s) => s.includes(name)))) values[name] = value;
  const key = await parseEncryptionKey(host.encryptionKey);
  for (const [name, value] of Object.entries(values)) {
    const sealed = { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value) };
    const res = await host.fetch(`/credentials/${encodeURIComponent(name)}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(sealed) });
    if (!res.ok) throw new CliError(`${target.fixturesFile}: credential ${name} could not be stored in the test executor: ${await res.text()}`, { code: "fixtures_invalid" });
  }
  return values;
}

/** The project's own recipes (recipes/*.yaml up from the workflow) join the test executor; standard names answer 409 and stay as bundled. */
const pushed = new Set<string>();
async function pushProjectRecipes(host: WorkflowTestHost, dir: string | undefined): Promise<void> {
  if (!dir || pushed.has(dir)) return;
  pushed.add(dir);
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !/\.schema\./.test(f))) {
    const text = readFileSync(join(dir, file), "utf8");
    const name = /^name:\s*([a-z][a-z0-9_]*)\s*$/m.exec(text)?.[1];
    if (!name) continue;
    const res = await host.fetch(`/recipes/${name}`, { method: "PUT", headers: { "content-type": "text/yaml" }, body: text });
    if (!res.ok && res.status !== 409) {
      const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new CliError(`recipe ${join(dir, file)} is not valid: ${body.error?.message ?? res.status}`, { code: "invalid_recipe", hint: "acr recipe push checks it with line and column" });
    }
  }
}

async function execute(host: WorkflowTestHost, workflow: string, input: unknown, target: TestTarget): Promise<JudgedRun> {
  const res = await host.fetch("/execute", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ workflow, input }) });
  const body = (await res.json().catch(() => undefined)) as (JudgedRun & { error?: { code?: string; message?: string; errors?: { line?: number; column?: number; message: string; hint?: string }[] } }) | undefined;
  if (body && Array.isArray(body.nodes)) return body;
  const error = body?.error;
  if (error?.errors?.length) {
    throw new CliError(`${target.workflowFile} is not a valid workflow`, {
      code: "invalid_workflow",
      lines: error.errors.map((i) => `  ${target.workflowFile}${i.line ? `:${i.line}:${i.column ?? 1}` : ""} ${i.message}${i.hint ? ` — ${i.hint}` : ""}`),
      hint: `acr validate ${target.workflowFile}`,
    });
  }
  throw new CliError(`the test executor answered ${res.status}: ${error?.message ?? "no run record"}`, { code: "bad_response" });
}

const KEPT_HEADERS = ["content-type", "retry-after", "link", "location"];
const SECRET_FIELDS = /^(access_token|refresh_token|id_token|client_secret|api_key|token)$/i;

/** What --record writes for one call: key with credentials as {{credential.NAME}}, the answer with secrets redacted. */
function recordedFixture(call: TestCall, got: RecordedAnswer, credentials: Record<string, string>): HttpFixture {
  const redact = (text: string) => {
    let out = text;
    for (const [name, value] of Object.entries(credentials)) if (value.length >= 4) out = out.split(value).join(`[redacted:${name}]`);
    return out;
  };
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (got.headers[name] !== undefined) headers[name] = redact(got.headers[name]);
  let body: unknown = redact(got.body);
  if (/json/i.test(headers["content-type"] ?? "")) {
    try {
      body = scrub(JSON.parse(body as string));
      if (headers["content-type"] === "application/json") delete headers["content-type"];
    } catch {
      /* not JSON after all: kept as text */
    }
  }
  return {
    method: call.method,
    host: call.host,
    path: maskCredentials(decodePath(call.path), credentials),
    status: got.status,
    headers,
    ...(body === "" ? {} : { body }),
  };
}

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.test(k) && typeof v === "string" ? "[redacted]" : scrub(v)]));
  return value;
}

/** Consecutive identical answers of one key become one fixture with `times`. */
function dedupe(list: HttpFixture[]): HttpFixture[] {
  const out: HttpFixture[] = [];
  for (const fixture of list) {
    const last = out[out.length - 1];
    const { times: _, ...a } = last ?? ({} as HttpFixture);
    if (last && JSON.stringify(a) === JSON.stringify(fixture)) last.times = (last.times ?? 1) + 1;
    else out.push({ ...fixture });
  }
  return out;
}

function expectationOf(run: JudgedRun): FixtureCase["expect"] {
  if (run.status === "failed") {
    const failed = run.nodes.find((n) => n.status === "failed");
    return failed ? { failed_node: failed.node } : { status: "failed" };
  }
  return run.result === null || run.result === undefined ? { status: "succeeded" } : { output: run.result };
}

function writeRecorded(target: TestTarget, had: FixturesFile | undefined, fixtures: FixturesFile, cases: FixtureCase[]): void {
  const out: Record<string, unknown> = {};
  if (had) {
    // keep what the author wrote; the answers come from this run (file-level http is left as it was)
    const original = readFileSync(target.fixturesPath, "utf8");
    if (/^workflow:/m.test(original) && fixtures.workflow) out.workflow = fixtures.workflow;
    if (Object.keys(fixtures.credentials).length) out.credentials = fixtures.credentials;
    if (fixtures.http.length) out.http = fixtures.http.map(clean);
  }
  out.cases = cases.map((c) => ({ name: c.name, input: c.input, http: c.http.map(clean), expect: c.expect }));
  const header = `# Fixtures for ${target.workflowFile}, recorded by \`acr test --record\`: credential values are written as\n# {{credential.NAME}} and secrets in answers as [redacted]. \`acr test ${target.workflowFile}\` replays them offline.\n`;
  writeFileSync(target.fixturesPath, header + stringify(out, { lineWidth: 0 }));
}

function clean(fixture: HttpFixture): Record<string, unknown> {
  const { headers, status, times, ...rest } = fixture;
  return { ...rest, ...(status !== 200 ? { status } : {}), ...(Object.keys(headers).length ? { headers } : {}), ...(times ? { times } : {}) };
}

function readLiveCredentials(ctx: CliContext, file: string | undefined): Record<string, string> {
  const path = resolve(ctx.io.cwd, file ?? "credentials.yaml");
  if (!existsSync(path)) {
    if (file) throw new CliError(`no credentials file at ${file}`, { code: "credentials_file_missing", hint: "give the file with your real credentials: --credentials credentials.yaml" });
    return {};
  }
  return Object.fromEntries(parseCredentials(readFileSync(path, "utf8"), file ?? "credentials.yaml").map((e) => [e.name, e.value]));
}
