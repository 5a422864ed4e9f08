/**
 * Egress policy (DESIGN § Security defaults), as pure functions over URLs and egress lists.
 *
 * - Denied by default: a URL may be called only when a rule in the egress list matches it.
 * - Rules: `api.example.com` (exact host, any port), `api.example.com:8443` (that port only),
 *   `*.example.com` (any subdomain, not the apex), `127.0.0.1`, `[::1]:8080`, `*` (any PUBLIC
 *   host), or a URL (`https://api.example.com`) whose host and explicit port are used.
 * - Loopback, private, link-local, unspecified and metadata addresses are refused unless a
 *   rule names that exact address (so a local test may declare `127.0.0.1`; `*` never covers it).
 *
 * Names are not resolved here (Workers have no DNS API); a public name that resolves to a
 * private address must be stopped by the platform's fetch (Cloudflare does).
 */

export interface EgressRule {
  /** lowercased host (IPv6 without brackets), or the suffix `.example.com` for a wildcard */
  host: string;
  kind: "exact" | "subdomains" | "any";
  port?: number;
}

export type RestrictedKind = "loopback" | "private" | "link-local" | "unspecified" | "metadata";

export type EgressDecision =
  | { allowed: true }
  | { allowed: false; code: "egress_denied"; message: string; hint: string };

/** Parse one egress entry; undefined when it is not a host pattern at all. */
export function parseEgressRule(entry: string): EgressRule | undefined {
  let text = entry.trim().toLowerCase();
  if (text === "*") return { host: "", kind: "any" };
  if (text.includes("://")) {
    try {
      const url = new URL(text);
      return { host: stripBrackets(url.hostname), kind: "exact", port: url.port ? Number(url.port) : undefined };
    } catch {
      return undefined;
    }
  }
  let kind: EgressRule["kind"] = "exact";
  if (text.startsWith("*.")) {
    kind = "subdomains";
    text = text.slice(2);
  }
  let host: string;
  let port: number | undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(text);
  const hostPort = /^([^:\s/]+)(?::(\d+))?$/.exec(text);
  if (bracketed) [host, port] = [bracketed[1], bracketed[2] ? Number(bracketed[2]) : undefined];
  else if (hostPort) [host, port] = [hostPort[1], hostPort[2] ? Number(hostPort[2]) : undefined];
  else if (/^[0-9a-f:.]+$/.test(text) && text.includes(":")) host = text; // bare IPv6
  else return undefined;
  const canonical = canonicalHost(host);
  if (canonical === undefined) return undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return kind === "subdomains" ? { host: `.${canonical}`, kind, port } : { host: canonical, kind, port };
}

/** Decide whether `url` may be called with this egress list. */
export function checkEgress(target: URL | string, egress: readonly string[]): EgressDecision {
  let url: URL;
  try {
    url = typeof target === "string" ? new URL(target) : target;
  } catch {
    return deny(`"${String(target)}" is not a valid URL`, "Write a full URL such as https://api.example.com/path.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return deny(`${url.protocol} URLs cannot be called; only http and https`, "Use an http:// or https:// URL.");
  }
  const host = stripBrackets(url.hostname);
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const rules = egress.map(parseEgressRule).filter((r): r is EgressRule => r !== undefined);
  const portMatches = (rule: EgressRule) => rule.port === undefined || rule.port === port;
  const display = url.port ? `${url.hostname}:${url.port}` : url.hostname;

  const restricted = restrictedKind(host);
  if (restricted) {
    if (rules.some((r) => r.kind === "exact" && r.host === host && portMatches(r))) return { allowed: true };
    return deny(
      `"${display}" is a ${restricted} address; arcrun refuses loopback, private, link-local and metadata addresses`,
      `If you really mean to call it (a local test), add "${url.hostname}" literally to the node's or the workflow's \`egress\` list.`,
    );
  }
  const allowed = rules.some((r) => {
    if (!portMatches(r)) return false;
    if (r.kind === "any") return true;
    if (r.kind === "subdomains") return host.endsWith(r.host) && host.length > r.host.length;
    return r.host === host;
  });
  if (allowed) return { allowed: true };
  return deny(
    `"${display}" is not in this node's egress list (${egress.length ? egress.join(", ") : "empty: egress is denied by default"})`,
    `Add "${display}" to the node's \`egress\` list or to the workflow's \`egress\` list.`,
  );
}

/** The restricted addresses an egress list names literally (what the local outbound handler may still connect to). */
export function declaredRestrictedAddresses(egress: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of egress) {
    const rule = parseEgressRule(entry);
    if (rule?.kind === "exact" && restrictedKind(rule.host) && rule.host !== "localhost" && !rule.host.endsWith(".localhost")) out.add(rule.host);
  }
  return [...out];
}

/** An address in the form the URL parser gives (lowercase, IPv6 compressed, no brackets), or undefined when it is none. */
export function canonicalAddress(address: string): string | undefined {
  return canonicalHost(stripBrackets(address.toLowerCase()));
}

/** Why a host (URL hostname, IPv6 without brackets) must not be called, or undefined. */
export function restrictedKind(hostname: string): RestrictedKind | undefined {
  const host = stripBrackets(hostname.toLowerCase()).replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (host === "metadata.google.internal") return "metadata";
  const v4 = parseIPv4(host);
  if (v4) return ipv4Kind(v4);
  const v6 = parseIPv6(host);
  if (v6) return ipv6Kind(v6);
  return undefined;
}

function ipv4Kind([a, b, c, d]: number[]): RestrictedKind | undefined {
  if (a === 169 && b === 254 && c === 169 && d === 254) return "metadata";
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, 100.64/10
  if (a === 169 && b === 254) return "link-local";
  return undefined;
}

function ipv6Kind(groups: number[]): RestrictedKind | undefined {
  if (groups.every((g) => g === 0)) return "unspecified";
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms carry a v4 address in the last 32 bits
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
    return ipv4Kind([groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255]);
  }
  if (groups[0] === 0xfd00 && groups[1] === 0x0ec2 && groups.slice(2, 7).every((g) => g === 0) && groups[7] === 0x254) return "metadata";
  if ((groups[0] & 0xfe00) === 0xfc00) return "private"; // fc00::/7
  if ((groups[0] & 0xffc0) === 0xfe80) return "link-local"; // fe80::/10
  if ((groups[0] & 0xffc0) === 0xfec0) return "private"; // site-local fec0::/10 (deprecated, still routed by some)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return "private"; // NAT64 64:ff9b::/96 reaches any IPv4
  return undefined;
}

function parseIPv4(host: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** Eight 16-bit groups, or undefined. Accepts `::` compression and a trailing dotted IPv4. */
function parseIPv6(host: string): number[] | undefined {
  if (!host.includes(":") || !/^[0-9a-f:.]+$/.test(host)) return undefined;
  let text = host;
  const tail = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (tail) {
    const v4 = parseIPv4(tail[1]);
    if (!v4) return undefined;
    text = text.slice(0, -tail[1].length) + ((v4[0] << 8) | v4[1]).toString(16) + ":" + ((v4[2] << 8) | v4[3]).toString(16);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16));
}

/** Canonical form through the URL parser (lowercase, IPv6 compressed, numeric IPv4 forms). */
function canonicalHost(host: string): string | undefined {
  try {
    const wrapped = host.includes(":") ? `[${host}]` : host;
    return stripBrackets(new URL(`http://${wrapped}/`).hostname);
  } catch {
    return undefined;
  }
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function deny(message: string, hint: string): EgressDecision {
  return { allowed: false, code: "egress_denied", message, hint };
}
