/**
 * Signed webhooks: `triggers: [{webhook: {verify: {scheme, secret, header?, timestamp_header?, tolerance_s?}}}]`.
 * Checked before a run exists, over the raw body bytes, with Web Crypto HMAC-SHA256 and a
 * constant-time comparison. Schemes (each provider's documented format):
 * - `github`: `X-Hub-Signature-256: sha256=<hex>`, HMAC of the body.
 * - `stripe`: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]`, HMAC of `<t>.<body>`;
 *   any v1 may match (secret rolling); other schemes are ignored; t within the tolerance.
 * - `slack`: `X-Slack-Signature: v0=<hex>`, HMAC of `v0:<X-Slack-Request-Timestamp>:<body>`; timestamp within the tolerance.
 * - `hmac-sha256`: `<header>: [sha256=]<hex>`, HMAC of the body, or of `<timestamp>.<body>` when
 *   `timestamp_header` is set (then the timestamp must be within the tolerance).
 * The secret (a credential's value) is the HMAC key as UTF-8 text, as all three providers use it.
 */
import { arcrunError, type ArcrunError } from "../errors";
import { bytesToHex, timingSafeEqual } from "../crypto/digest";

export const SIGNATURE_SCHEMES = ["hmac-sha256", "github", "stripe", "slack"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/** The `verify` entry of a webhook trigger. */
export interface WebhookVerify {
  scheme: SignatureScheme;
  /** credential name; its value is the signing secret */
  secret: string;
  /** signature header (hmac-sha256 only; the presets have their own) */
  header?: string;
  /** timestamp header (hmac-sha256 only) */
  timestamp_header?: string;
  /** how far a signed timestamp may be from now, and how long a used signature is refused; default 300 */
  tolerance_s?: number;
}

export const DEFAULT_TOLERANCE_S = 300;

/** The headers each preset reads. */
export const PRESET_HEADERS: Record<Exclude<SignatureScheme, "hmac-sha256">, { header: string; timestamp_header?: string }> = {
  github: { header: "X-Hub-Signature-256" },
  stripe: { header: "Stripe-Signature" },
  slack: { header: "X-Slack-Signature", timestamp_header: "X-Slack-Request-Timestamp" },
};

export interface SignedRequest {
  /** `Headers` fits; names are case-insensitive */
  headers: { get(name: string): string | null };
  /** the body exactly as received */
  body: Uint8Array;
}

export type SignatureFailureCode = "signature_missing" | "signature_malformed" | "signature_mismatch" | "signature_expired" | "signature_replayed";

export interface SignatureFailure {
  ok: false;
  code: SignatureFailureCode;
  /** always 401 */
  status: 401;
  message: string;
  hint: string;
}

export interface SignatureOk {
  ok: true;
  /** the signature that matched, lowercase hex (what the replay guard remembers) */
  signature: string;
  /** the signed timestamp (Unix seconds), for timestamped schemes */
  timestamp?: number;
  /** how long this signature must be refused as a replay, in seconds */
  replay_ttl_s: number;
}

export type SignatureResult = SignatureOk | SignatureFailure;

export interface VerifyOptions {
  /** milliseconds since the epoch; default Date.now() */
  now?: number;
}

/** Check one request's signature. Never throws for anything the sender controls. */
export async function verifySignature(verify: WebhookVerify, secret: string, request: SignedRequest, options: VerifyOptions = {}): Promise<SignatureResult> {
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = verify.tolerance_s ?? DEFAULT_TOLERANCE_S;
  const read = readSignature(verify, request.headers);
  if (!read.ok) return read;

  const expected = await hmacSha256(secret, concat(utf8(read.signedPrefix), request.body));
  // Compare against every candidate, without stopping at the first match.
  let matched = -1;
  read.candidates.forEach((candidate, i) => {
    if (timingSafeEqual(candidate, expected) && matched < 0) matched = i;
  });
  if (matched < 0) {
    return fail("signature_mismatch", `the ${read.header} signature does not match the body`, `sign the raw body exactly as sent with the secret in credential "${verify.secret}"; ${formatHint(verify)}`);
  }
  if (read.timestamp !== undefined) {
    const skew = nowS - read.timestamp;
    if (Math.abs(skew) > tolerance) {
      return fail("signature_expired", `the signed timestamp is ${Math.abs(skew)} s ${skew > 0 ? "old" : "in the future"}; at most ${tolerance} s is accepted`, "send the request when it is signed, and keep the sender's clock in sync (NTP)");
    }
  }
  const replay_ttl_s = read.timestamp !== undefined ? Math.max(1, read.timestamp + tolerance - nowS + 1) : tolerance;
  return { ok: true, signature: bytesToHex(read.candidates[matched]), timestamp: read.timestamp, replay_ttl_s };
}

/** A failure as the error the executor answers with (401, `{error: {code, message, hint}}`). */
export function signatureError(failure: SignatureFailure): ArcrunError {
  return arcrunError(failure.code, failure.message, { hint: failure.hint });
}

interface ReadSignature {
  ok: true;
  header: string;
  /** each candidate signature, 32 bytes */
  candidates: Uint8Array[];
  /** what precedes the body in the signed bytes */
  signedPrefix: string;
  timestamp?: number;
}

function readSignature(verify: WebhookVerify, headers: SignedRequest["headers"]): ReadSignature | SignatureFailure {
  const { header, timestamp_header } = verify.scheme === "hmac-sha256" ? { header: verify.header ?? "X-Signature", timestamp_header: verify.timestamp_header } : PRESET_HEADERS[verify.scheme];
  const value = headers.get(header)?.trim();
  if (!value) return fail("signature_missing", `the ${header} header is missing`, `this webhook requires a signed request: ${formatHint(verify)}`);

  if (verify.scheme === "stripe") return readStripe(header, value, verify);

  let timestamp: number | undefined;
  let timestampText = "";
  if (timestamp_header) {
    timestampText = headers.get(timestamp_header)?.trim() ?? "";
    if (!timestampText) return fail("signature_missing", `the ${timestamp_header} header is missing`, `send the Unix time (seconds) the request was signed at in ${timestamp_header}`);
    if (!/^[0-9]{1,12}$/.test(timestampText)) return fail("signature_malformed", `${timestamp_header} must be a Unix time in seconds, not ${short(timestampText)}`, `e.g. ${timestamp_header}: 1531420618`);
    timestamp = Number(timestampText);
  }

  const prefix = verify.scheme === "github" ? "sha256=" : verify.scheme === "slack" ? "v0=" : value.startsWith("sha256=") ? "sha256=" : "";
  const hex = value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
  const bytes = hex === undefined ? undefined : hexToBytes(hex);
  if (!bytes) return fail("signature_malformed", `${header} must be ${formatOf(verify)}, not ${short(value)}`, formatHint(verify));

  const signedPrefix = verify.scheme === "slack" ? `v0:${timestampText}:` : timestamp_header ? `${timestampText}.` : "";
  return { ok: true, header, candidates: [bytes], signedPrefix, timestamp };
}

function readStripe(header: string, value: string, verify: WebhookVerify): ReadSignature | SignatureFailure {
  const times = new Set<string>();
  const candidates: Uint8Array[] = [];
  for (const element of value.split(",")) {
    const eq = element.indexOf("=");
    if (eq < 0) continue;
    const key = element.slice(0, eq).trim();
    const item = element.slice(eq + 1).trim();
    if (key === "t") times.add(item);
    if (key === "v1") {
      const bytes = hexToBytes(item);
      if (bytes) candidates.push(bytes);
    }
  }
  const [t] = times;
  if (times.size !== 1 || !/^[0-9]{1,12}$/.test(t)) return fail("signature_malformed", `${header} must carry one timestamp t=<Unix seconds>, got ${short(value)}`, formatHint(verify));
  if (candidates.length === 0) return fail("signature_malformed", `${header} carries no v1 signature (64 hex digits)`, formatHint(verify));
  return { ok: true, header, candidates, signedPrefix: `${t}.`, timestamp: Number(t) };
}

function formatOf(verify: WebhookVerify): string {
  switch (verify.scheme) {
    case "github":
      return "sha256=<64 hex digits>";
    case "slack":
      return "v0=<64 hex digits>";
    case "stripe":
      return "t=<timestamp>,v1=<64 hex digits>";
    default:
      return "<64 hex digits> or sha256=<64 hex digits>";
  }
}

function formatHint(verify: WebhookVerify): string {
  switch (verify.scheme) {
    case "github":
      return "GitHub sends X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>; set the same secret in the GitHub webhook settings";
    case "stripe":
      return "Stripe sends Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 of \"<timestamp>.<body>\">; use the endpoint's signing secret (whsec_...)";
    case "slack":
      return "Slack sends X-Slack-Signature: v0=<HMAC-SHA256 of \"v0:<timestamp>:<body>\"> with X-Slack-Request-Timestamp; use the app's signing secret";
    default: {
      const header = verify.header ?? "X-Signature";
      return verify.timestamp_header
        ? `send ${header}: sha256=<lowercase hex HMAC-SHA256 of "<timestamp>.<body>"> and ${verify.timestamp_header}: <Unix seconds>`
        : `send ${header}: sha256=<lowercase hex HMAC-SHA256 of the raw body>`;
    }
  }
}

function fail(code: SignatureFailureCode, message: string, hint: string): SignatureFailure {
  return { ok: false, code, status: 401, message, hint };
}

async function hmacSha256(secret: string, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** 64 hex digits (either case) → 32 bytes; anything else → undefined. */
function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function short(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}
