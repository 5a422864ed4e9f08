/**
 * The dev server's outbound handler (DESIGN § Wave 2 decisions, "Outbound"; § Security
 * defaults): every request the executor Worker sends leaves through here (Miniflare's
 * `outboundService`). Workers cannot resolve names, so this is where "a name that resolves to
 * a restricted address is refused" is enforced:
 *
 * - the name is resolved (all addresses); if any is loopback, private, link-local, CGNAT,
 *   NAT64, site-local, metadata or an IPv4-mapped form of one (core's `restrictedKind`), the
 *   connection is refused unless the node's egress names that literal address (the Worker
 *   sends those as `x-arcrun-egress-allow`, read and stripped here);
 * - otherwise it connects to the address it checked (no second lookup to rebind), with the
 *   original Host and TLS server name, and never follows redirects (the Worker does, so each
 *   hop comes back through here);
 * - a refusal answers 403 with `x-arcrun-egress-denied: <address>`, which the node reports as
 *   `egress_denied` naming the address.
 *
 * With `proxy` (`ARCRUN_OUTBOUND_PROXY=http://127.0.0.1:PORT`) every request goes instead to
 * that server as plain HTTP in absolute form (`POST https://api.telegram.org/bot…/sendMessage`)
 * with the original Host, for local servers that speak a third-party protocol. Names are not
 * resolved then (offline); literal restricted addresses and `localhost` are still refused.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { Response, type Request } from "miniflare";
import { canonicalAddress, EGRESS_ALLOW_HEADER, EGRESS_DENIED_HEADER, restrictedKind } from "@arcrun/core";

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface OutboundOptions {
  /** every address of a name (default node:dns lookup with `all: true`) */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** `http://127.0.0.1:PORT`: send everything there in absolute form instead */
  proxy?: string;
  /** how long a connection may take to open, ms (default 10 s) */
  connectTimeoutMs?: number;
}

export type OutboundHandler = (request: Request) => Promise<Response>;

const systemLookup = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });
const NO_BODY = new Set([101, 204, 205, 304]);

export function outboundHandler(options: OutboundOptions = {}): OutboundHandler {
  const lookup = options.lookup ?? systemLookup;
  const proxy = options.proxy ? new URL(options.proxy) : undefined;
  if (proxy && proxy.protocol !== "http:") throw new Error(`ARCRUN_OUTBOUND_PROXY must be an http:// URL, got ${options.proxy}`);
  return async (request) => {
    const url = new URL(request.url);
    const allowed = new Set(
      (request.headers.get(EGRESS_ALLOW_HEADER) ?? "").split(",").map((a) => canonicalAddress(a.trim())).filter((a): a is string => !!a),
    );
    const headers = new Headers(request.headers);
    headers.delete(EGRESS_ALLOW_HEADER);
    const host = url.hostname.replace(/^\[|\]$/g, "");

    let addresses: string[];
    if (isIP(host)) addresses = [canonicalAddress(host) ?? host];
    else if (proxy) addresses = restrictedKind(host) ? ["127.0.0.1"] : []; // localhost and *.localhost stay refused offline
    else {
      try {
        addresses = (await lookup(host)).map((a) => canonicalAddress(a.address) ?? a.address);
      } catch (error) {
        return new Response(`arcrun outbound: cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { status: 502 });
      }
      if (addresses.length === 0) return new Response(`arcrun outbound: ${host} has no address`, { status: 502 });
    }
    for (const address of addresses) {
      if (restrictedKind(address) && !allowed.has(address)) {
        return new Response(
          JSON.stringify({ error: { code: "egress_denied", message: `${host} resolves to ${address}, a ${restrictedKind(address)} address` } }),
          { status: 403, headers: { "content-type": "application/json", [EGRESS_DENIED_HEADER]: address } },
        );
      }
    }
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const pinned = addresses[0];
    return send({ url, method: request.method, headers, body, proxy, pinned, timeoutMs: options.connectTimeoutMs ?? 10_000 });
  };
}

interface Outgoing {
  url: URL;
  method: string;
  headers: Headers;
  body?: Buffer;
  proxy?: URL;
  /** the checked address to connect to (direct mode) */
  pinned?: string;
  timeoutMs: number;
}

function send(out: Outgoing): Promise<Response> {
  const headers: Record<string, string> = {};
  out.headers.forEach((value, key) => (headers[key] = value));
  headers.host = out.url.host;
  if (out.body) headers["content-length"] = String(out.body.length);
  let options: RequestOptions;
  let requester = httpRequest;
  if (out.proxy) {
    options = { host: out.proxy.hostname, port: out.proxy.port || 80, method: out.method, path: out.url.href, headers };
  } else {
    const pinned = out.pinned!;
    const family = isIP(pinned);
    // connect to the address that was checked, never to a second answer of the resolver
    const lookup: LookupFunction = (_name, opts, callback) => {
      if ((opts as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [{ address: pinned, family }]);
      else callback(null, pinned, family);
    };
    options = { host: out.url.hostname.replace(/^\[|\]$/g, ""), port: out.url.port || undefined, method: out.method, path: out.url.pathname + out.url.search, headers, lookup };
    if (out.url.protocol === "https:") {
      requester = httpsRequest;
      (options as { servername?: string }).servername = isIP(options.host as string) ? undefined : (options.host as string);
    }
  }
  return new Promise((resolve) => {
    const req = requester(options, (res: IncomingMessage) => {
      const answer: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        if (res.rawHeaders[i].toLowerCase() === EGRESS_DENIED_HEADER) continue; // only this handler says so
        answer.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
      }
      const status = res.statusCode ?? 502;
      const body = NO_BODY.has(status) || out.method === "HEAD" ? null : (Readable.toWeb(res) as ReadableStream);
      if (body === null) res.resume();
      resolve(new Response(body as never, { status, headers: answer }));
    });
    req.setTimeout(out.timeoutMs, () => req.destroy(new Error(`no answer within ${out.timeoutMs} ms`)));
    req.on("error", (error) =>
      resolve(new Response(`arcrun outbound: ${out.url.host}: ${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}`.trim(), { status: 502 })),
    );
    req.end(out.body);
  });
}
