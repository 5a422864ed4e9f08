/**
 * One request of a recipe, built from the parameters and the applied auth. Throws
 * ParamError / UrlValueError (the runner turns them into `invalid_input`).
 */
import type { Recipe } from "./schema";
import type { AppliedAuth } from "./auth";
import { buildPath, splitUrlTemplate, UrlValueError } from "./url";
import { fillString, fillValue, OMIT, ParamError, textOf, lookupPath } from "./values";

export interface BuiltRequest {
  method: string;
  url: URL;
  headers: Headers;
  body?: string | FormData;
  /** headers that carry a credential: dropped when a redirect leaves the origin */
  authHeaders: string[];
}

export interface PageState {
  /** pagination: the cursor to send */
  cursor?: string;
}

export function buildRequest(recipe: Recipe, params: Record<string, unknown>, auth: AppliedAuth, page: PageState = {}): BuiltRequest {
  const { request } = recipe;
  const template = splitUrlTemplate(request.url);
  if ("error" in template) throw new UrlValueError(template.error); // load refuses these; kept for objects built by hand
  const path = buildPath(template, (ref) => {
    if (ref.root === "credential") {
      const value = auth.path[String(ref.path[0])];
      if (value === undefined) throw new ParamError(`credential "${String(ref.path[0])}" has no auth of kind path`);
      return value;
    }
    const value = lookupPath(params, ref.path);
    if (value === undefined || value === null) throw new ParamError(`parameter "${ref.path.map(String).join(".")}" is needed in the URL`);
    return typeof value === "string" ? value : JSON.stringify(value);
  });
  let url: URL;
  if (template.origin !== undefined) {
    url = new URL(template.origin + path);
  } else {
    // an auth of kind url: the credential is the base, the template's path is appended to it
    if (!auth.baseUrl) throw new ParamError("this recipe needs its URL credential");
    let base: URL;
    try {
      base = new URL(auth.baseUrl);
    } catch {
      throw new ParamError("the URL credential is not a full URL (https://...)");
    }
    if (base.protocol !== "https:" && base.protocol !== "http:") throw new ParamError("the URL credential must be an https:// URL");
    url = new URL(base.href);
    url.pathname = base.pathname.replace(/\/$/, "") + path;
    if (template.origin === undefined && url.host !== base.host) throw new UrlValueError("the URL changed host");
  }
  for (const [key, value] of Object.entries(request.query ?? {})) {
    const filled = fillValue(value, params);
    if (filled === OMIT || filled === null) continue;
    for (const item of Array.isArray(filled) ? filled : [filled]) url.searchParams.append(key, textOf(item));
  }
  for (const [key, value] of auth.query) url.searchParams.append(key, value);
  if (page.cursor !== undefined && recipe.pagination?.kind === "cursor" && recipe.pagination.in === "query") {
    url.searchParams.set(recipe.pagination.param, page.cursor);
  }

  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const filled = fillString(value, params);
    if (filled === OMIT || filled === null) continue;
    try {
      headers.set(name, textOf(filled));
    } catch {
      throw new ParamError(`header "${name}" has a value that cannot be sent (a line break?)`);
    }
  }
  for (const [name, value] of Object.entries(auth.headers)) headers.set(name, value);

  let body: string | FormData | undefined;
  const spec = request.body;
  if (spec?.kind === "json") {
    let value = fillValue(spec.value, params);
    if (value === OMIT) value = null;
    if (page.cursor !== undefined && recipe.pagination?.kind === "cursor" && recipe.pagination.in === "body" && value && typeof value === "object") {
      value = { ...(value as Record<string, unknown>), [recipe.pagination.param]: page.cursor };
    }
    body = JSON.stringify(value);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (spec?.kind === "form") {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.fields)) {
      const filled = fillValue(value, params);
      if (filled === OMIT || filled === null) continue;
      for (const item of Array.isArray(filled) ? filled : [filled]) form.append(key, textOf(item));
    }
    body = form.toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (spec?.kind === "multipart") {
    const form = new FormData();
    for (const [key, part] of Object.entries(spec.parts)) {
      const file = part && typeof part === "object" && !Array.isArray(part) && "value" in part && Object.keys(part).every((k) => ["value", "filename", "content_type"].includes(k))
        ? (part as { value: never; filename?: string; content_type?: string })
        : undefined;
      const filled = fillValue(file ? file.value : (part as never), params);
      if (filled === OMIT || filled === null) continue;
      if (file?.filename) form.append(key, new Blob([textOf(filled)], { type: file.content_type ?? "application/octet-stream" }), file.filename);
      else form.append(key, textOf(filled));
    }
    body = form;
    headers.delete("content-type"); // fetch writes it with the boundary
  } else if (spec?.kind === "raw") {
    body = textOf(fillValue(spec.value, params));
    headers.set("content-type", spec.content_type);
  }
  return { method: request.method, url, headers, body, authHeaders: Object.keys(auth.headers) };
}
