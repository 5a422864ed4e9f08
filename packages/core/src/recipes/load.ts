/**
 * Loading a recipe: YAML (or an object) → the schema → the checks zod cannot express. Every
 * problem names its path, its line and column when the source is YAML, and a fix. A recipe
 * that loads can only call its declared hosts: its URL template cannot change scheme or host.
 */
import { parseSource } from "../workflow/parse-source";
import type { SourceLocator } from "../workflow/source-locator";
import { findTemplates, parsePath, TemplateSyntaxError, type TemplateRef } from "../templates/parse";
import { checkEgress } from "../net/egress";
import { RecipeSchema, type AuthPlacement, type Recipe } from "./schema";
import { inputsSchemaProblems } from "./inputs-schema";
import { splitUrlTemplate } from "./url";

export interface RecipeIssue {
  code: "yaml_syntax" | "schema" | "url_template" | "host_not_declared" | "template" | "credential_not_declared" | "invalid_inputs";
  message: string;
  /** dotted path in the recipe, e.g. request.url or auth.kind */
  path: string;
  hint?: string;
  line?: number;
  column?: number;
}

export type RecipeLoadResult = { ok: true; recipe: Recipe } | { ok: false; issues: RecipeIssue[] };

/** Parse and check a recipe file (YAML text) or an already parsed object. */
export function loadRecipe(source: string | Record<string, unknown>): RecipeLoadResult {
  const parsed = parseSource(source);
  const locate = parsed.locate;
  if (!parsed.trustworthy) return { ok: false, issues: parsed.issues.map((i) => ({ code: "yaml_syntax", message: i.message, hint: i.hint, path: "", line: i.line, column: i.column })) };
  const result = RecipeSchema.safeParse(parsed.data);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((issue) => {
        const path = issue.path as (string | number)[];
        const hint = kindHint(path);
        return { code: "schema", message: `${dotted(path) || "recipe"}: ${issue.message}`, path: dotted(path), ...(hint ? { hint } : {}), ...locate.at(path) };
      }),
    };
  }
  const issues = semanticIssues(result.data, locate);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, recipe: result.data };
}

/** Like loadRecipe, but throws one Error listing every problem (for recipes bundled with arcrun). */
export function mustLoadRecipe(source: string | Record<string, unknown>): Recipe {
  const result = loadRecipe(source);
  if (!result.ok) throw new Error(`invalid recipe: ${result.issues.map(formatRecipeIssue).join("; ")}`);
  return result.recipe;
}

export function formatRecipeIssue(issue: RecipeIssue): string {
  const at = issue.line ? ` (line ${issue.line}, column ${issue.column})` : "";
  return `${issue.message}${at}${issue.hint ? ` — ${issue.hint}` : ""}`;
}

const AUTH_KINDS = "bearer, header, query, path, basic, url, oauth2_refresh, google_service_account, one_of";

function kindHint(path: (string | number)[]): string | undefined {
  if (path[0] === "auth" && path[path.length - 1] === "kind") return `auth kinds: ${AUTH_KINDS}`;
  if (path[0] === "request" && path[1] === "body" && path[2] === "kind") return "body kinds: json, form, multipart, raw";
  if (path[0] === "pagination" && path[1] === "kind") return "pagination kinds: cursor, next_link";
  return undefined;
}

function semanticIssues(recipe: Recipe, locate: SourceLocator): RecipeIssue[] {
  const issues: RecipeIssue[] = [];
  const add = (code: RecipeIssue["code"], path: (string | number)[], message: string, hint?: string) =>
    issues.push({ code, message, path: dotted(path), ...(hint ? { hint } : {}), ...locate.at(path) });

  for (const problem of inputsSchemaProblems(recipe.inputs)) {
    add("invalid_inputs", ["inputs", ...problem.path], `inputs${problem.path.length ? "." + problem.path.join(".") : ""}: ${problem.message}`, "inputs is a JSON Schema of the node's parameters, e.g. {type: object, required: [text], properties: {text: {type: string}}}");
  }

  const declared = new Set(recipe.credentials.map((c) => c.key));
  const placements = authPlacements(recipe);
  const pathCredentials = new Set(placements.filter((p) => p.kind === "path").map((p) => p.credential));
  const hasBaseUrl = placements.some((p) => p.kind === "url");
  placements.forEach((placement, index) => {
    const at = recipe.auth?.kind === "one_of" ? ["auth", "options", index] : ["auth"];
    for (const key of placementCredentials(placement)) {
      if (!declared.has(key)) add("credential_not_declared", [...at, "credential"], `auth uses credential "${key}", which is not in credentials`, `add {key: ${key}, description: ...} to credentials`);
    }
    if (placement.kind === "oauth2_refresh" || placement.kind === "google_service_account") {
      const host = hostOf(placement.token_url);
      if (!new URL(placement.token_url).protocol.startsWith("https")) add("url_template", [...at, "token_url"], `token_url must be https: ${placement.token_url}`);
      else if (host && !hostDeclared(placement.token_url, recipe.hosts)) add("host_not_declared", [...at, "token_url"], `token_url host "${host}" is not in hosts`, `add ${host} to hosts`);
    }
  });

  // the URL: literal scheme and host, the host declared, templates only in the path
  const url = splitUrlTemplate(recipe.request.url);
  if ("error" in url) {
    add("url_template", ["request", "url"], `request.url: ${url.error}`, hasBaseUrl ? "with auth kind url, request.url is a path after the credential's URL, e.g. \"\" or /messages" : "write the scheme and host literally, e.g. https://api.example.com/v1/items/{{params.id}}; put parameters in query");
  } else if (url.origin === undefined && !hasBaseUrl) {
    add("url_template", ["request", "url"], `request.url "${recipe.request.url}" has no scheme and host`, "write it in full, e.g. https://api.example.com/v1/items");
  } else if (url.origin !== undefined && hasBaseUrl) {
    add("url_template", ["request", "url"], "request.url must be a path when an auth of kind url gives the base URL", 'e.g. url: "" or url: /messages');
  } else if (url.origin !== undefined && !hostDeclared(url.origin, recipe.hosts)) {
    add("host_not_declared", ["request", "url"], `request.url calls "${hostOf(url.origin)}", which is not in hosts`, `add ${hostOf(url.origin)} to hosts`);
  }
  if (!("error" in url)) {
    for (const ref of url.refs) {
      if (ref.root === "credential") {
        const key = String(ref.path[0]);
        if (ref.path.length !== 1 || !pathCredentials.has(key)) add("template", ["request", "url"], `{{${ref.expression}}} in request.url needs an auth of kind path for credential "${key}"`, `add auth: {kind: path, credential: ${key}}`);
      }
    }
  }

  // every template: a known root, a declared parameter
  const properties = recipe.inputs.properties && typeof recipe.inputs.properties === "object" ? (recipe.inputs.properties as Record<string, unknown>) : {};
  const open = recipe.inputs.additionalProperties !== false && Object.keys(properties).length === 0;
  visitStrings(recipe.request, ["request"], (text, path) => {
    let refs: readonly TemplateRef[];
    try {
      refs = findTemplates(text);
    } catch (error) {
      if (error instanceof TemplateSyntaxError) return add("template", path, error.message);
      throw error;
    }
    for (const ref of refs) {
      if (ref.root === "credential") {
        if (!(path[1] === "url")) add("template", path, `{{${ref.expression}}}: credentials go in through auth, not templates`, "use auth: {kind: bearer | header | query | path | basic, credential: KEY}");
        continue;
      }
      if (ref.root !== "params") {
        add("template", path, `{{${ref.expression}}}: a recipe template reads the node's parameters as {{params.NAME}}`);
        continue;
      }
      const name = ref.path[0];
      if (name === undefined) add("template", path, "{{params}} alone is not allowed: name the parameter, e.g. {{params.text}}");
      else if (!open && !(String(name) in properties)) add("template", path, `{{${ref.expression}}}: parameter "${String(name)}" is not declared in inputs.properties`, `declare it under inputs.properties.${String(name)}`);
    }
  });
  // body paths are parsed when the answer arrives: refuse a bad one now
  const paths: [(string | number)[], string | undefined][] = [
    [["response", "output"], recipe.response.output],
    [["response", "error_message"], recipe.response.error_message],
    [["response", "error_code"], recipe.response.error_code],
    [["response", "success", "field", "path"], recipe.response.success.field?.path],
    [["retry", "retry_after_path"], recipe.retry.retry_after_path],
    [["pagination", "items_path"], recipe.pagination?.items_path],
    [["pagination", "cursor_path"], recipe.pagination?.kind === "cursor" ? recipe.pagination.cursor_path : undefined],
    [["pagination", "next_path"], recipe.pagination?.kind === "next_link" ? recipe.pagination.next_path : undefined],
  ];
  for (const [at, path] of paths) {
    if (path === undefined) continue;
    try {
      parsePath(path);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      add("schema", at, `${dotted(at)}: "${path}" is not a body path`, "write a path such as result, error.message or items[0].id");
    }
  }
  if (recipe.pagination?.kind === "cursor" && recipe.pagination.in === "body" && recipe.request.body?.kind !== "json") {
    add("schema", ["pagination", "in"], "a cursor in the body needs request.body of kind json");
  }
  if (recipe.pagination?.kind === "next_link" && recipe.pagination.from === "body" && !recipe.pagination.next_path) {
    add("schema", ["pagination", "next_path"], "next_link from body needs next_path (where the next URL is)");
  }
  return issues;
}

/** The placements that may apply (every option of a one_of). */
export function authPlacements(recipe: Pick<Recipe, "auth">): AuthPlacement[] {
  if (!recipe.auth) return [];
  return recipe.auth.kind === "one_of" ? recipe.auth.options : [recipe.auth];
}

export function placementCredentials(placement: AuthPlacement): string[] {
  if (placement.kind === "basic") return placement.password ? [placement.username, placement.password] : [placement.username];
  return [placement.credential];
}

export function hostDeclared(url: string, hosts: readonly string[]): boolean {
  return hosts.length > 0 && checkEgress(url, hosts).allowed;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function visitStrings(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStrings(item, [...path, i], visit));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) visitStrings(item, [...path, key], visit);
}

function dotted(path: readonly (string | number)[]): string {
  return path.map(String).join(".");
}
