/**
 * A value as one URL path segment (RFC 3986 § 3.3: `segment = *pchar`, `pchar = unreserved /
 * pct-encoded / sub-delims / ":" / "@"`). Everything encodeURIComponent escapes stays escaped —
 * `/`, `?`, `#`, `%`, spaces, sub-delims — except `:` and `@`, which are legal in a segment and
 * which APIs document literally (Telegram's `/bot<token>/`, whose token is `123456:ABC…`).
 * A value can therefore never add a segment, start a query or fragment, or change the host.
 */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ":").replace(/%40/gi, "@");
}
