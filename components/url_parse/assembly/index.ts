// url_parse: an absolute URL → its parts, following the WHATWG URL standard (what `new URL()`
// does in JavaScript) for the common cases: special schemes (http, https, ws, wss, ftp, file),
// default ports, dot segments, percent-encoding of paths, queries and fragments, lowercase
// hosts and Unicode host names as Punycode. Relative references resolve against `base`.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

class Url {
  scheme: string = "";
  username: string = "";
  password: string = "";
  hostname: string = "";
  port: string = "";
  path: string = "";
  query: string | null = null;
  fragment: string | null = null;
  authority: bool = false; // has "//host"
}

const SPECIAL = ["http", "https", "ws", "wss", "ftp", "file"];
const DEFAULT_PORTS = ["80", "443", "80", "443", "21", ""];
const FRAGMENT_SET = " \"<>`";
const PATH_SET = " \"#<>?`{}";
const USERINFO_SET = " \"#<>?`{}/:;=@[\\]^|";
const HEX = "0123456789ABCDEF";
// scratch buffers reused by every decode: allocating them per query value exhausted memory
// under the incremental GC (a 4,750-pair query needed more than 16 MiB)
let scratch = new Uint8Array(256);
let units = new Uint16Array(256);
const FORBIDDEN_HOST = " #%/:<>?@[\\]^|";

run((input: JSON.Obj): JSON.Value => {
  const text = clean(input.string("url"));
  const u = input.has("base") && !input.get("base")!.isNull() ? resolve(text, parseAbsolute(clean(input.string("base")), "base")) : parseAbsolute(text, "url");
  const host = u.hostname + (u.port.length > 0 ? ":" + u.port : "");
  const search = u.query !== null && u.query!.length > 0 ? "?" + u.query! : "";
  const hash = u.fragment !== null && u.fragment!.length > 0 ? "#" + u.fragment! : "";
  return JSON.obj()
    .set("href", JSON.str(serialize(u)))
    .set("protocol", JSON.str(u.scheme + ":"))
    .set("username", JSON.str(u.username))
    .set("password", JSON.str(u.password))
    .set("host", JSON.str(host))
    .set("hostname", JSON.str(u.hostname))
    .set("port", JSON.str(u.port))
    .set("pathname", JSON.str(u.path))
    .set("search", JSON.str(search))
    .set("query", queryObject(u.query !== null ? u.query! : ""))
    .set("hash", JSON.str(hash));
});

function invalid(what: string, problem: string): void {
  fail("invalid_url", "invalid " + what + ": " + problem, JSON.obj().set("field", JSON.str(what)));
}

/** Leading and trailing controls and spaces go, and so do tabs and newlines anywhere (WHATWG). */
function clean(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.substring(a, b).replaceAll("\t", "").replaceAll("\n", "").replaceAll("\r", "");
}

function isAlpha(c: i32): bool { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a; }
function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }

/**
 * Lowercases ASCII, and for host names also Latin-1, Latin Extended-A, Greek and Cyrillic
 * capitals: the full Unicode tables would cost 8 KB of the module's 50 KB.
 */
function lower(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) || (c >= 0x410 && c <= 0x42f)) c += 0x20;
    else if (c >= 0x400 && c <= 0x40f) c += 0x50;
    else if (c == 0x178) c = 0xff;
    else if ((c >= 0x100 && c < 0x138 && c != 0x130) || (c >= 0x14a && c < 0x178)) c |= 1;
    else if ((c >= 0x139 && c < 0x149) || (c >= 0x179 && c < 0x17f)) c += c & 1;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Length of the scheme before ":" (letter, then letters, digits, + - .), or 0 without one. */
function schemeLength(s: string): i32 {
  if (s.length == 0 || !isAlpha(s.charCodeAt(0))) return 0;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x3a) return i;
    if (!isAlpha(c) && !isDigit(c) && c != 0x2b && c != 0x2d && c != 0x2e) return 0;
  }
  return 0;
}

function isSlash(c: i32, special: bool): bool { return c == 0x2f || (special && c == 0x5c); }

function parseAbsolute(s: string, what: string): Url {
  const n = schemeLength(s);
  if (n == 0) {
    invalid(what, s.length == 0 ? "it is empty" : "'" + s + "' has no scheme (a relative URL needs base); start it with one, like https://");
  }
  const u = new Url();
  u.scheme = lower(s.substring(0, n));
  const kind = SPECIAL.indexOf(u.scheme);
  const special = kind >= 0;
  let rest = s.substring(n + 1);
  // the fragment, then the query, are cut off first: neither can contain the other's marker
  const hashAt = rest.indexOf("#");
  if (hashAt >= 0) { u.fragment = encode(rest.substring(hashAt + 1), FRAGMENT_SET); rest = rest.substring(0, hashAt); }
  const queryAt = rest.indexOf("?");
  if (queryAt >= 0) { u.query = encode(rest.substring(queryAt + 1), special ? PATH_SET.substring(0, 5) + "'" : PATH_SET.substring(0, 5)); rest = rest.substring(0, queryAt); }
  let i = 0;
  const slashes = rest.length >= 2 && isSlash(rest.charCodeAt(0), special) && isSlash(rest.charCodeAt(1), special);
  if (special && kind != 5) {
    while (i < rest.length && isSlash(rest.charCodeAt(i), true)) i++; // http:example.com and http:\\x work, as in browsers
  } else if (slashes) {
    i = 2;
  }
  // file URLs always have a (maybe empty) host: file:/etc/hosts is file:///etc/hosts
  u.authority = special || slashes;
  if (u.authority && (kind != 5 || slashes)) {
    let end = i;
    while (end < rest.length && !isSlash(rest.charCodeAt(end), special)) end++;
    parseAuthority(u, rest.substring(i, end), what, kind);
    i = end;
  }
  let path = rest.substring(i);
  if (special) path = path.replaceAll("\\", "/");
  if (u.authority || path.startsWith("/")) {
    if (path.length == 0 && special) path = "/";
    u.path = removeDotSegments(encode(path, PATH_SET));
  } else {
    u.path = encode(path, ""); // an opaque path (mailto:, urn:, data:): only controls and non-ASCII are encoded
  }
  return u;
}

function parseAuthority(u: Url, authority: string, what: string, kind: i32): void {
  const at = authority.lastIndexOf("@");
  let hostPort = authority;
  if (at >= 0) {
    const info = authority.substring(0, at);
    const colon = info.indexOf(":");
    u.username = encode(colon >= 0 ? info.substring(0, colon) : info, USERINFO_SET);
    if (colon >= 0) u.password = encode(info.substring(colon + 1), USERINFO_SET);
    hostPort = authority.substring(at + 1);
  }
  let host = hostPort;
  let port = "";
  const close = hostPort.lastIndexOf("]");
  const colon = hostPort.lastIndexOf(":");
  if (colon > close) {
    host = hostPort.substring(0, colon);
    port = hostPort.substring(colon + 1);
  }
  if (port.length > 0) {
    for (let k = 0; k < port.length; k++) if (!isDigit(port.charCodeAt(k))) invalid(what, "the port '" + port + "' is not a number");
    const value = I32.parseInt(port.length > 6 ? "999999" : port);
    if (value > 65535) invalid(what, "the port " + port + " is over 65535");
    port = value.toString();
  }
  if (kind >= 0 && port == DEFAULT_PORTS[kind]) port = "";
  if (host.length == 0) {
    if (kind >= 0 && kind != 5) invalid(what, "the host is missing after " + u.scheme + "://");
    if (u.username.length > 0 || port.length > 0) invalid(what, "the host is missing before the user name or port");
  }
  u.hostname = parseHost(host, what);
  u.port = port;
}

function parseHost(host: string, what: string): string {
  if (host.startsWith("[")) {
    if (!host.endsWith("]")) invalid(what, "the IPv6 address '" + host + "' has no closing ']'");
    for (let k = 1; k < host.length - 1; k++) {
      const c = host.charCodeAt(k) | 0x20;
      if (!isDigit(c) && !(c >= 0x61 && c <= 0x66) && c != 0x3a && c != 0x2e) invalid(what, "'" + host + "' is not an IPv6 address");
    }
    return lower(host);
  }
  const labels = host.split(".");
  for (let l = 0; l < labels.length; l++) {
    const label = labels[l];
    let ascii = true;
    for (let k = 0; k < label.length; k++) {
      const c = label.charCodeAt(k);
      if (c <= 0x20 || c == 0x7f || FORBIDDEN_HOST.includes(String.fromCharCode(c))) {
        invalid(what, "the host '" + host + "' contains " + (c <= 0x20 ? "a space or control character" : "'" + String.fromCharCode(c) + "'"));
      }
      if (c >= 0x80) ascii = false;
    }
    labels[l] = ascii ? lower(label) : "xn--" + punycode(lower(label));
  }
  return labels.join(".");
}

/** RFC 3492 Punycode encoding of one label (IDNA without the UTS 46 mapping tables). */
function punycode(label: string): string {
  const points: i32[] = [];
  let out = "";
  for (let k = 0; k < label.length; k++) {
    const c = label.codePointAt(k);
    if (c > 0xffff) k++;
    points.push(c);
    if (c < 0x80) out += String.fromCharCode(c);
  }
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = 128, delta = 0, bias = 72;
  while (handled < points.length) {
    let m = 0x7fffffff;
    for (let k = 0; k < points.length; k++) if (points[k] >= n && points[k] < m) m = points[k];
    delta += (m - n) * (handled + 1);
    n = m;
    for (let k = 0; k < points.length; k++) {
      const c = points[k];
      if (c < n) delta++;
      if (c != n) continue;
      let q = delta;
      for (let t = 36; ; t += 36) {
        const threshold = t <= bias ? 1 : t >= bias + 26 ? 26 : t - bias;
        if (q < threshold) break;
        out += digit(threshold + (q - threshold) % (36 - threshold));
        q = (q - threshold) / (36 - threshold);
      }
      out += digit(q);
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}

function digit(d: i32): string { return String.fromCharCode(d < 26 ? 0x61 + d : 0x16 + d); }

function adapt(delta: i32, points: i32, first: bool): i32 {
  delta = first ? delta / 700 : delta >> 1;
  delta += delta / points;
  let k = 0;
  while (delta > 455) { delta /= 35; k += 36; }
  return k + (36 * delta) / (delta + 38);
}

/** Percent-encodes controls, non-ASCII (as UTF-8; a lone surrogate as U+FFFD) and the characters of `set`. */
function encode(s: string, set: string): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && !set.includes(String.fromCharCode(c))) continue;
    out += s.substring(start, i);
    let point = s.codePointAt(i);
    if (point > 0xffff) i++;
    else if (point >= 0xd800 && point <= 0xdfff) point = 0xfffd;
    const n = putUtf8(point, 0);
    for (let k = 0; k < n; k++) out += "%" + HEX.charAt(scratch[k] >> 4) + HEX.charAt(scratch[k] & 15);
    start = i + 1;
  }
  return out + s.substring(start);
}

/** Resolves "." and ".." segments (also written %2e), keeping a trailing slash where they stood last. */
function removeDotSegments(path: string): string {
  if (!path.startsWith("/")) return path;
  const segments = path.split("/");
  const out: string[] = [];
  for (let k = 1; k < segments.length; k++) {
    const segment = segments[k].replaceAll("%2e", ".").replaceAll("%2E", ".");
    const last = k == segments.length - 1;
    if (segment == "..") {
      if (out.length > 0) out.pop();
      if (last) out.push("");
    } else if (segment == ".") {
      if (last) out.push("");
    } else {
      out.push(segments[k]);
    }
  }
  return "/" + out.join("/");
}

function origin(u: Url): string {
  if (!u.authority) return u.scheme + ":";
  const info = u.username.length > 0 || u.password.length > 0 ? u.username + (u.password.length > 0 ? ":" + u.password : "") + "@" : "";
  return u.scheme + "://" + info + u.hostname + (u.port.length > 0 ? ":" + u.port : "");
}

function serialize(u: Url): string {
  return origin(u) + u.path + (u.query !== null ? "?" + u.query! : "") + (u.fragment !== null ? "#" + u.fragment! : "");
}

/** RFC 3986 § 5.2 reference resolution, by building the absolute URL and parsing it again. */
function resolve(ref: string, base: Url): Url {
  if (schemeLength(ref) > 0) return parseAbsolute(ref, "url");
  const special = SPECIAL.includes(base.scheme);
  const c0 = ref.length > 0 ? ref.charCodeAt(0) : 0;
  if (c0 == 0x23) return parseAbsolute(origin(base) + base.path + (base.query !== null ? "?" + base.query! : "") + ref, "url");
  if (!base.authority && !base.path.startsWith("/")) {
    invalid("url", "'" + ref + "' cannot be resolved against " + serialize(base) + ", which has no hierarchical path");
  }
  let absolute: string;
  if (isSlash(c0, special) && ref.length > 1 && isSlash(ref.charCodeAt(1), special)) absolute = base.scheme + ":" + ref;
  else if (isSlash(c0, special)) absolute = origin(base) + ref;
  else if (ref.length == 0) absolute = origin(base) + base.path + (base.query !== null ? "?" + base.query! : "");
  else if (c0 == 0x3f) absolute = origin(base) + base.path + ref;
  else absolute = origin(base) + base.path.substring(0, base.path.lastIndexOf("/") + 1) + ref;
  return parseAbsolute(absolute, "url");
}

/** The query as an object: + is a space, escapes are decoded (UTF-8, bad bytes as U+FFFD), repeated keys collect into a list. */
function queryObject(query: string): JSON.Value {
  const out = JSON.obj();
  const pairs = query.split("&");
  for (let k = 0; k < pairs.length; k++) {
    const pair = pairs[k];
    if (pair.length == 0) continue;
    const eq = pair.indexOf("=");
    const key = formDecode(eq >= 0 ? pair.substring(0, eq) : pair);
    const value = JSON.str(eq >= 0 ? formDecode(pair.substring(eq + 1)) : "");
    const existing = out.get(key);
    if (existing === null) out.set(key, value);
    else if (existing.isArray()) existing.asArray().push(value);
    else out.set(key, JSON.arr([existing, value]));
  }
  return out;
}

function hexValue(b: i32): i32 {
  if (isDigit(b)) return b - 0x30;
  b |= 0x20;
  return b >= 0x61 && b <= 0x66 ? b - 0x57 : -1;
}

function formDecode(s: string): string {
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    let c = s.codePointAt(k);
    const hi = c == 0x25 && k + 2 < s.length ? hexValue(s.charCodeAt(k + 1)) : -1;
    const lo = hi >= 0 ? hexValue(s.charCodeAt(k + 2)) : -1;
    if (lo >= 0) { scratch[n++] = <u8>((hi << 4) | lo); k += 2; continue; }
    if (c == 0x2b) c = 0x20;
    if (c > 0xffff) k++;
    else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    n = putUtf8(c, n);
  }
  return utf8(n);
}

/** Writes the UTF-8 bytes of code point `c` into scratch at `n`; returns the new end. */
function putUtf8(c: i32, n: i32): i32 {
  if (c < 0x80) { scratch[n++] = <u8>c; return n; }
  const count = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  scratch[n] = <u8>((0xf00 >> count) | (c >> (6 * (count - 1))));
  for (let k = 1; k < count; k++) scratch[n + k] = <u8>(0x80 | ((c >> (6 * (count - 1 - k))) & 0x3f));
  return n + count;
}

/** UTF-8 → string, each maximal invalid subsequence as one U+FFFD (the WHATWG decoder). */
function utf8(n: i32): string {
  const bytes = scratch;
  if (units.length < n) units = new Uint16Array(n);
  let length = 0;
  for (let k = 0; k < n; ) {
    const b = <i32>bytes[k++];
    let need = 0, c = b, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; c = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; c = b & 0x0f; if (b == 0xe0) lo = 0xa0; if (b == 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; c = b & 0x07; if (b == 0xf0) lo = 0x90; if (b == 0xf4) hi = 0x8f; }
    else if (b >= 0x80) c = 0xfffd;
    for (; need > 0; need--) {
      if (k >= n || <i32>bytes[k] < lo || <i32>bytes[k] > hi) { c = 0xfffd; break; }
      c = (c << 6) | (bytes[k++] & 0x3f);
      lo = 0x80; hi = 0xbf;
    }
    if (c > 0xffff) {
      units[length++] = <u16>(0xd7c0 + (c >> 10));
      c = 0xdc00 | (c & 0x3ff);
    }
    units[length++] = <u16>c;
  }
  return String.UTF16.decodeUnsafe(units.dataStart, length << 1);
}
