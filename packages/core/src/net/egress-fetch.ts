/**
 * The node's fetch as the host's outbound handler sees it (DESIGN § Wave 2 decisions,
 * "Outbound"). Workers cannot resolve names, so the local dev server's handler resolves each
 * name and refuses restricted addresses; it must know which literal addresses the node's
 * egress declares, and it tells the node when it refused. Both travel as headers:
 *
 *   request  `x-arcrun-egress-allow: 127.0.0.1, ::1`  the restricted literals of the node's egress
 *            (always overwritten here, so user-set headers cannot widen it; absent when none)
 *   answer   `x-arcrun-egress-denied: <address>`       the handler refused to connect there
 *
 * A denial becomes the node's `egress_denied` failure in node-runner, whatever the component
 * made of the 403. On Cloudflare nothing strips the request header; it is only sent when the
 * egress names a restricted literal, which the platform never connects to anyway.
 */
import { declaredRestrictedAddresses } from "./egress";

export const EGRESS_ALLOW_HEADER = "x-arcrun-egress-allow";
export const EGRESS_DENIED_HEADER = "x-arcrun-egress-denied";

export interface EgressDenial {
  address: string;
  host: string;
  message: string;
}

export function egressFetch(fetch: typeof globalThis.fetch, egress: readonly string[], onDenied: (denial: EgressDenial) => void): typeof globalThis.fetch {
  const allow = declaredRestrictedAddresses(egress).join(", ");
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (allow) headers.set(EGRESS_ALLOW_HEADER, allow);
    else headers.delete(EGRESS_ALLOW_HEADER);
    const response = await fetch(input, { ...init, headers });
    const address = response.headers.get(EGRESS_DENIED_HEADER);
    if (address) {
      const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
      onDenied({ address, host, message: `"${host}" resolves to ${address}, a restricted address; the local server refused to connect` });
    }
    return response;
  };
}
