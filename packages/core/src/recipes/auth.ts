/**
 * Where each credential goes (a recipe's `auth`). Resolves the credentials through the
 * caller's lookup, reports every injected value (the caller's redactor covers them, the
 * URL-path one included) and never puts a value in an error.
 */
import type { NodeError } from "../components/types";
import { credentialMissing } from "../credentials/errors";
import { bytesToBase64, utf8 } from "../crypto/base64";
import type { AuthPlacement, Recipe } from "./schema";
import { placementCredentials } from "./load";
import { accessToken, type TokenCache } from "./tokens";

export interface AppliedAuth {
  headers: Record<string, string>;
  query: [string, string][];
  /** values for `{{credential.KEY}}` in the URL path, by recipe key */
  path: Record<string, string>;
  /** the base URL an auth of kind `url` gives */
  baseUrl?: string;
  /** set when the auth is a token that may be renewed once on 401 */
  renewable: boolean;
}

export interface AuthContext {
  /** the stored credential's value by its stored name; undefined when not stored */
  lookup(name: string): Promise<string | undefined>;
  /** recipe key → stored name (a node's `credentials:` mapping); the key itself otherwise */
  names: Record<string, string>;
  node?: string;
  fetch: typeof fetch;
  now(): number;
  cache: TokenCache;
  secret(name: string, value: string): void;
}

export type AuthResult = { ok: true; auth: AppliedAuth } | { ok: false; error: NodeError };

export function storedName(key: string, names: Record<string, string>): string {
  return names[key] ?? key;
}

/** Choose the placement (first `one_of` option whose credentials are all stored) and apply it. */
export async function applyAuth(recipe: Recipe, ctx: AuthContext, fresh = false): Promise<AuthResult> {
  const empty: AppliedAuth = { headers: {}, query: [], path: {}, renewable: false };
  if (!recipe.auth) return { ok: true, auth: empty };
  const options = recipe.auth.kind === "one_of" ? recipe.auth.options : [recipe.auth];
  const values = new Map<string, string | undefined>();
  for (const option of options) {
    for (const key of placementCredentials(option)) {
      if (!values.has(key)) values.set(key, await ctx.lookup(storedName(key, ctx.names)));
    }
    if (placementCredentials(option).every((key) => values.get(key) !== undefined)) {
      return place(option, (key) => values.get(key)!, ctx, fresh);
    }
  }
  const missing = placementCredentials(options[0]).filter((key) => values.get(key) === undefined);
  const error = credentialMissing(storedName(missing[0], ctx.names), ctx.node);
  const alternatives = options.length > 1 ? ` (or any one of: ${options.map((o) => placementCredentials(o).map((k) => storedName(k, ctx.names)).join(" + ")).join("; ")})` : "";
  return { ok: false, error: { code: error.code, message: error.message + alternatives, details: error.details, retryable: false } };
}

async function place(placement: AuthPlacement, value: (key: string) => string, ctx: AuthContext, fresh: boolean): Promise<AuthResult> {
  const auth: AppliedAuth = { headers: {}, query: [], path: {}, renewable: false };
  const inject = (key: string) => {
    const v = value(key);
    ctx.secret(storedName(key, ctx.names), v);
    return v;
  };
  switch (placement.kind) {
    case "bearer":
      auth.headers.authorization = `Bearer ${inject(placement.credential)}`;
      break;
    case "header":
      auth.headers[placement.name.toLowerCase()] = `${placement.prefix ?? ""}${inject(placement.credential)}`;
      break;
    case "query":
      auth.query.push([placement.name, inject(placement.credential)]);
      break;
    case "path":
      auth.path[placement.credential] = inject(placement.credential);
      break;
    case "basic": {
      const pair = `${inject(placement.username)}:${placement.password ? inject(placement.password) : ""}`;
      const encoded = bytesToBase64(utf8.encode(pair));
      ctx.secret(`${storedName(placement.username, ctx.names)}.basic`, encoded);
      auth.headers.authorization = `Basic ${encoded}`;
      break;
    }
    case "url":
      auth.baseUrl = inject(placement.credential);
      break;
    case "oauth2_refresh":
    case "google_service_account": {
      const name = storedName(placement.credential, ctx.names);
      const result = await accessToken(
        {
          kind: placement.kind,
          name,
          value: inject(placement.credential),
          tokenUrl: placement.token_url,
          scope: placement.kind === "oauth2_refresh" ? placement.scope : placement.scopes.join(" "),
          fetch: ctx.fetch,
          now: ctx.now,
          secret: ctx.secret,
        },
        ctx.cache,
        fresh,
      );
      if (!result.ok) return result;
      auth.headers.authorization = `Bearer ${result.token}`;
      auth.renewable = true;
      break;
    }
  }
  return { ok: true, auth };
}
