/**
 * A local stand-in for the Cloudflare REST API v4, speaking only the endpoints
 * `acr init --self-hosted` / `acr deploy` call, with their documented shapes: the
 * `{success, errors, messages, result, result_info}` envelope, page/per_page pagination, the error
 * codes for a bad token (1000), a missing permission (10000, HTTP 403), an unknown account (7003)
 * and a missing Worker (10007). D1 databases are real SQLite, through Miniflare's D1 simulator, so
 * the migrations the CLI sends are executed for real. Point the CLI at it with
 * CLOUDFLARE_API_BASE_URL=<fake.url>.
 *
 *   const fake = await startFakeCloudflare();
 *   const token = fake.addToken({ accounts: [ACCOUNT], permissions: ["scripts", "kv", "d1", "r2"] });
 *   fake.failNext({ method: "POST", path: /\/r2\/buckets$/, status: 503, times: 5 });
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { Miniflare } from "miniflare";

export type Permission = "scripts" | "kv" | "d1" | "r2";

interface Script {
  metadata: { main_module: string; bindings: { type: string; name: string; [k: string]: unknown }[]; compatibility_date?: string };
  modules: Record<string, { type: string; size: number }>;
  secrets: Map<string, string>;
  schedules: string[];
  workersDev: boolean;
  uploads: number;
  created_on: string;
  modified_on: string;
}

interface Account {
  kv: { id: string; title: string }[];
  d1: { uuid: string; name: string; slot: string; created_at: string }[];
  r2: { name: string; creation_date: string }[];
  scripts: Map<string, Script>;
  subdomain?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  retryAfter?: string;
}

const D1_SLOTS = 32;

export async function startFakeCloudflare() {
  const accounts = new Map<string, Account>();
  const tokens = new Map<string, { status: string; accounts: Set<string>; permissions: Set<Permission> }>();
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  let mf: Miniflare | undefined;
  let slotsUsed = 0;
  const d1 = async (slot: string) => {
    mf ??= new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response('fake') } }",
      cf: false,
      d1Databases: Object.fromEntries(Array.from({ length: D1_SLOTS }, (_, i) => [`D1_${i}`, `slot-${i}`])),
    });
    return mf.getD1Database(slot);
  };

  const ok = (res: ServerResponse, result: unknown, status = 200, result_info?: unknown) => send(res, status, { success: true, errors: [], messages: [], result, ...(result_info ? { result_info } : {}) });
  const fail = (res: ServerResponse, status: number, code: number, message: string) => send(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });
  const paginate = <T>(res: ServerResponse, url: URL, items: T[]) => {
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get("per_page") ?? 20)));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    ok(res, slice, 200, { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/client\/v4/, "");
    const method = req.method ?? "GET";
    const injected = failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (injected) {
      injected.times--;
      if (injected.retryAfter !== undefined) res.setHeader("retry-after", injected.retryAfter);
      return injected.status === 429 ? fail(res, 429, 971, "Please wait and consider throttling your request speed") : fail(res, injected.status, 10013, "An unknown error has occurred");
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = auth ? tokens.get(auth) : undefined;
    if (path === "/user/tokens/verify") {
      if (!token) return fail(res, 401, 1000, "Invalid API Token");
      return ok(res, { id: "fake-token-id", status: token.status });
    }
    if (!token) return fail(res, 400, 6003, "Invalid request headers");
    const match = /^\/accounts\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) return fail(res, 404, 7000, "No route for that URI");
    const [, accountId, rest = ""] = match;
    const account = accounts.get(accountId);
    if (!account) return fail(res, 404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    if (!token.accounts.has(accountId)) return fail(res, 403, 9109, "Unauthorized to access requested resource");
    if (rest === "/tokens/verify") return ok(res, { id: "fake-token-id", status: token.status });
    const need = (p: Permission) => {
      if (token.permissions.has(p)) return true;
      fail(res, 403, 10000, "Authentication error");
      return false;
    };
    const json = () => JSON.parse(body.toString("utf8") || "null");
    const now = new Date().toISOString();

    // ── KV ──
    if (rest === "/storage/kv/namespaces") {
      if (!need("kv")) return;
      if (method === "GET") return paginate(res, url, [...account.kv].sort((a, b) => a.title.localeCompare(b.title)));
      if (method === "POST") {
        const { title } = json() ?? {};
        if (typeof title !== "string" || !title) return fail(res, 400, 10019, "title is required");
        if (account.kv.some((n) => n.title === title)) return fail(res, 400, 10014, "a namespace with this account ID and title already exists");
        const ns = { id: randomBytes(16).toString("hex"), title };
        account.kv.push(ns);
        return ok(res, { ...ns, supports_url_encoding: true });
      }
    }
    const kvItem = /^\/storage\/kv\/namespaces\/([^/]+)$/.exec(rest);
    if (kvItem && method === "DELETE") {
      if (!need("kv")) return;
      const i = account.kv.findIndex((n) => n.id === kvItem[1]);
      if (i < 0) return fail(res, 404, 10013, "namespace not found");
      account.kv.splice(i, 1);
      return ok(res, {});
    }
    // ── D1 ──
    if (rest === "/d1/database") {
      if (!need("d1")) return;
      if (method === "GET") {
        const name = url.searchParams.get("name");
        return paginate(res, url, account.d1.filter((d) => !name || d.name.includes(name)).map(({ slot: _, ...d }) => ({ ...d, version: "production" })));
      }
      if (method === "POST") {
        const { name } = json() ?? {};
        if (account.d1.some((d) => d.name === name)) return fail(res, 400, 7502, "A database with that name already exists");
        if (slotsUsed >= D1_SLOTS) return fail(res, 400, 7406, "fake: out of D1 slots");
        const db = { uuid: randomUUID(), name, slot: `D1_${slotsUsed++}`, created_at: now };
        account.d1.push(db);
        return ok(res, { uuid: db.uuid, name, created_at: now, version: "production" });
      }
    }
    const d1Item = /^\/d1\/database\/([^/]+)$/.exec(rest);
    if (d1Item && method === "DELETE") {
      if (!need("d1")) return;
      const i = account.d1.findIndex((d) => d.uuid === d1Item[1]);
      if (i < 0) return fail(res, 404, 7404, "The database could not be found");
      account.d1.splice(i, 1);
      return ok(res, null);
    }
    const query = /^\/d1\/database\/([^/]+)\/query$/.exec(rest);
    if (query && method === "POST") {
      if (!need("d1")) return;
      const db = account.d1.find((d) => d.uuid === query[1]);
      if (!db) return fail(res, 404, 7404, "The database could not be found");
      const { sql, params = [] } = json() ?? {};
      const binding = await d1(db.slot);
      try {
        const statements = splitSql(String(sql));
        const results = [];
        if (statements.length === 1) {
          const r = await binding.prepare(statements[0]).bind(...params).all();
          results.push({ results: r.results, success: true, meta: r.meta });
        } else {
          // several statements: one batch (atomic), as the documented endpoint runs them
          for (const r of await binding.batch(statements.map((s) => binding.prepare(s)))) results.push({ results: r.results, success: true, meta: r.meta });
        }
        return ok(res, results);
      } catch (error) {
        return fail(res, 400, 7500, `${(error as Error).message}: SQLITE_ERROR`);
      }
    }
    // ── R2 ──
    if (rest === "/r2/buckets") {
      if (!need("r2")) return;
      if (method === "GET") {
        const contains = url.searchParams.get("name_contains") ?? "";
        return ok(res, { buckets: account.r2.filter((b) => b.name.includes(contains)) });
      }
      if (method === "POST") {
        const { name } = json() ?? {};
        if (account.r2.some((b) => b.name === name)) return fail(res, 409, 10004, "The bucket you tried to create already exists, and you own it.");
        const bucket = { name, creation_date: now };
        account.r2.push(bucket);
        return ok(res, { ...bucket, location: "WNAM" });
      }
    }
    const r2Item = /^\/r2\/buckets\/([^/]+)$/.exec(rest);
    if (r2Item && method === "DELETE") {
      if (!need("r2")) return;
      const i = account.r2.findIndex((b) => b.name === decodeURIComponent(r2Item[1]));
      if (i < 0) return fail(res, 404, 10006, "The specified bucket does not exist.");
      account.r2.splice(i, 1);
      return ok(res, {});
    }
    // ── Workers ──
    if (rest === "/workers/subdomain" && method === "GET") {
      if (!need("scripts")) return;
      if (!account.subdomain) return fail(res, 404, 10007, "This account does not have a workers.dev subdomain");
      return ok(res, { subdomain: account.subdomain });
    }
    if (rest === "/workers/scripts" && method === "GET") {
      if (!need("scripts")) return;
      return ok(res, [...account.scripts.entries()].map(([id, s]) => ({ id, created_on: s.created_on, modified_on: s.modified_on, etag: `etag-${s.uploads}` })));
    }
    const scriptPath = /^\/workers\/scripts\/([^/]+)(\/[a-z]+)?$/.exec(rest);
    if (scriptPath) {
      if (!need("scripts")) return;
      const [, name, sub] = scriptPath;
      const script = account.scripts.get(name);
      if (!sub && method === "PUT") return upload(res, account, name, req, body);
      if (!script) return fail(res, 404, 10007, "This Worker does not exist on your account.");
      if (!sub && method === "DELETE") {
        account.scripts.delete(name);
        return ok(res, null);
      }
      if (sub === "/secrets" && method === "GET") return ok(res, [...script.secrets.keys()].map((n) => ({ name: n, type: "secret_text" })));
      if (sub === "/secrets" && method === "PUT") {
        const { name: secret, text, type } = json() ?? {};
        if (type !== "secret_text" || typeof secret !== "string" || typeof text !== "string") return fail(res, 400, 10021, "expected {name, text, type: secret_text}");
        script.secrets.set(secret, text);
        return ok(res, { name: secret, type });
      }
      if (sub === "/schedules" && method === "GET") return ok(res, { schedules: script.schedules.map((cron) => ({ cron, created_on: now, modified_on: now })) });
      if (sub === "/schedules" && method === "PUT") {
        const list = json();
        if (!Array.isArray(list) || list.some((s) => typeof s?.cron !== "string")) return fail(res, 400, 10021, "expected [{cron}]");
        script.schedules = list.map((s: { cron: string }) => s.cron);
        return ok(res, { schedules: list });
      }
      if (sub === "/subdomain" && method === "GET") return ok(res, { enabled: script.workersDev, previews_enabled: false });
      if (sub === "/subdomain" && method === "POST") {
        script.workersDev = Boolean(json()?.enabled);
        return ok(res, { enabled: script.workersDev, previews_enabled: false });
      }
    }
    return fail(res, 404, 7000, "No route for that URI");
  }

  async function upload(res: ServerResponse, account: Account, name: string, req: IncomingMessage, body: Buffer): Promise<void> {
    let form: FormData;
    try {
      form = await new Request("http://fake/", { method: "PUT", headers: { "content-type": String(req.headers["content-type"]) }, body: new Uint8Array(body) }).formData();
    } catch {
      return fail(res, 400, 10021, "expected multipart/form-data with a metadata part");
    }
    const metadataPart = form.get("metadata");
    if (!(metadataPart instanceof Blob)) return fail(res, 400, 10021, "metadata part missing");
    const metadata = JSON.parse(await metadataPart.text()) as Script["metadata"];
    const modules: Script["modules"] = {};
    const texts: Record<string, string> = {};
    const parts: [string, FormDataEntryValue][] = [];
    form.forEach((value, part) => void parts.push([part, value]));
    for (const [part, value] of parts) {
      if (part === "metadata" || !(value instanceof Blob)) continue;
      modules[part] = { type: value.type, size: value.size };
      if (value.type === "application/javascript+module") texts[part] = await value.text();
    }
    const main = texts[metadata.main_module];
    if (!main) return fail(res, 400, 10021, `No such module "${metadata.main_module}" (main_module must name an application/javascript+module part)`);
    // the entry's own import statements (not text inside a string, e.g. the embedded loader host script)
    for (const imported of main.matchAll(/^import\s+\w+\s+from\s*"\.\/([^"]+\.wasm)";/gm)) {
      if (modules[imported[1]]?.type !== "application/wasm") return fail(res, 400, 10021, `Uncaught Error: No such module "${imported[1]}". imported from "${metadata.main_module}"`);
    }
    for (const b of metadata.bindings ?? []) {
      if (b.type === "kv_namespace" && !account.kv.some((n) => n.id === b.namespace_id)) return fail(res, 400, 10041, `KV namespace '${b.namespace_id}' is not valid. [code: 10041]`);
      if (b.type === "d1" && !account.d1.some((d) => d.uuid === b.id)) return fail(res, 400, 10021, `D1 binding '${b.name}' references database '${b.id}' which was not found`);
      if (b.type === "r2_bucket" && !account.r2.some((r) => r.name === b.bucket_name)) return fail(res, 400, 10085, `R2 bucket '${b.bucket_name}' not found`);
      if (b.type === "secret_text") return fail(res, 400, 10021, "fake: secrets go through the secrets endpoint in this install");
    }
    const now = new Date().toISOString();
    const old = account.scripts.get(name);
    account.scripts.set(name, {
      metadata,
      modules,
      secrets: old?.secrets ?? new Map(),
      schedules: old?.schedules ?? [],
      workersDev: old?.workersDev ?? false,
      uploads: (old?.uploads ?? 0) + 1,
      created_on: old?.created_on ?? now,
      modified_on: now,
    });
    ok(res, { id: name, etag: randomBytes(8).toString("hex"), created_on: now, modified_on: now, startup_time_ms: 12, handlers: ["fetch", "scheduled"] });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://fake").pathname.replace(/^\/client\/v4/, "");
      handle(req, res, Buffer.concat(chunks))
        .catch((error) => fail(res, 500, 10013, `fake: ${(error as Error).message}`))
        .finally(() => requests.push({ method: req.method ?? "GET", path, status: res.statusCode }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    requests,
    accounts,
    addAccount(options: { subdomain?: string } = {}): string {
      const id = randomBytes(16).toString("hex");
      accounts.set(id, { kv: [], d1: [], r2: [], scripts: new Map(), subdomain: options.subdomain });
      return id;
    },
    addToken(options: { accounts: string[]; permissions?: Permission[]; status?: string }): string {
      const token = randomBytes(20).toString("base64url");
      tokens.set(token, { status: options.status ?? "active", accounts: new Set(options.accounts), permissions: new Set(options.permissions ?? ["scripts", "kv", "d1", "r2"]) });
      return token;
    },
    failNext(failure: Failure): void {
      failures.push({ ...failure });
    },
    /** SQL against a fake D1 database (to check the migrations ran) */
    async query(accountId: string, uuid: string, sql: string) {
      const db = accounts.get(accountId)!.d1.find((d) => d.uuid === uuid)!;
      return (await (await d1(db.slot)).prepare(sql).all()).results;
    },
    async close(): Promise<void> {
      await new Promise<void>((ok) => server.close(() => ok()));
      await mf?.dispose();
    },
  };
}

export type FakeCloudflare = Awaited<ReturnType<typeof startFakeCloudflare>>;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function splitSql(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
