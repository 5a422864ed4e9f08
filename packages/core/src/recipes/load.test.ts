import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { Validator } from "@cfworker/json-schema";
import { loadRecipe, type RecipeIssue } from "./load";
import { recipeJsonSchema } from "./schema";

const RECIPES = new URL("../../../../recipes/", import.meta.url);

/** A small valid recipe as YAML lines; `patch` replaces whole lines by prefix. */
function recipe(overrides: Record<string, string> = {}): string {
  const lines: Record<string, string> = {
    name: "name: demo",
    version: "version: 1.0.0",
    description: "description: A demo",
    hosts: "hosts: [api.example.com]",
    credentials: "credentials: [{key: demo_token, description: the token}]",
    inputs: "inputs: {type: object, required: [id], properties: {id: {type: string}}}",
    request: 'request: {method: GET, url: "https://api.example.com/items/{{params.id}}"}',
    auth: "auth: {kind: bearer, credential: demo_token}",
    config_example: "config_example: {component: demo, id: x}",
    ...overrides,
  };
  return Object.values(lines).filter(Boolean).join("\n") + "\n";
}

function issues(source: string): RecipeIssue[] {
  const result = loadRecipe(source);
  assert.equal(result.ok, false, "expected the recipe to be refused");
  return result.ok ? [] : result.issues;
}

describe("loading a recipe", () => {
  test("a valid recipe loads, with defaults filled in", () => {
    const result = loadRecipe(recipe());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.equal(result.recipe.response.format, "json");
    assert.deepEqual(result.recipe.retry.statuses, [429, 500, 502, 503, 504]);
    assert.equal(result.recipe.max_response_bytes, 1024 * 1024);
  });

  test("a URL template in the host is refused at its line", () => {
    const [issue] = issues(recipe({ request: 'request: {method: GET, url: "https://{{params.id}}.example.com/items"}' }));
    assert.equal(issue.code, "url_template");
    assert.equal(issue.path, "request.url");
    assert.equal(issue.line, 7);
    assert.match(issue.message, /cannot give the scheme or host/);
  });

  test("a URL that is one template (scheme and host included) is refused", () => {
    const [issue] = issues(recipe({ request: 'request: {method: GET, url: "{{params.id}}"}' }));
    assert.equal(issue.code, "url_template");
    assert.match(issue.message, /scheme or host/);
  });

  test("a template straight after the host (could write @evil.example) is refused", () => {
    const [issue] = issues(recipe({ request: 'request: {method: GET, url: "https://api.example.com{{params.id}}"}' }));
    assert.equal(issue.code, "url_template");
    assert.match(issue.message, /scheme or host/);
  });

  test("a template in the port or user part is refused", () => {
    for (const url of ["https://api.example.com:{{params.id}}/x", "https://{{params.id}}@api.example.com/x"]) {
      const [issue] = issues(recipe({ request: `request: {method: GET, url: "${url}"}` }));
      assert.equal(issue.code, "url_template", url);
    }
  });

  test("a host not in hosts is refused, naming the host and the fix", () => {
    const [issue] = issues(recipe({ hosts: "hosts: [other.example.com]" }));
    assert.equal(issue.code, "host_not_declared");
    assert.equal(issue.path, "request.url");
    assert.match(issue.message, /api\.example\.com/);
    assert.equal(issue.hint, "add api.example.com to hosts");
  });

  test("a token URL not in hosts is refused", () => {
    const [issue] = issues(recipe({ auth: "auth: {kind: oauth2_refresh, credential: demo_token, token_url: https://oauth2.example.com/token}" }));
    assert.equal(issue.code, "host_not_declared");
    assert.equal(issue.path, "auth.token_url");
  });

  test("an unknown auth kind is refused at auth.kind with the list of kinds", () => {
    const found = issues(recipe({ auth: "auth: {kind: magic, credential: demo_token}" }));
    const issue = found.find((i) => i.path === "auth.kind");
    assert.ok(issue, JSON.stringify(found));
    assert.equal(issue.code, "schema");
    assert.equal(issue.line, 8);
    assert.match(issue.hint ?? "", /bearer, header, query, path, basic, url, oauth2_refresh, google_service_account, one_of/);
  });

  test("an invalid inputs schema is refused with the path of the bad keyword", () => {
    const found = issues(recipe({ inputs: "inputs: {type: object, required: [id], properties: {id: {type: strng}}}" }));
    assert.equal(found.length, 1);
    assert.equal(found[0].code, "invalid_inputs");
    assert.equal(found[0].path, "inputs.properties.id.type");
    assert.match(found[0].message, /unknown type "strng"/);
  });

  test("inputs that are not an object schema, or require an undeclared field, are refused", () => {
    assert.equal(issues(recipe({ inputs: "inputs: {type: array}" }))[0].path, "inputs.type");
    const [issue] = issues(recipe({ inputs: "inputs: {type: object, required: [id, name], properties: {id: {type: string}}}" }));
    assert.match(issue.message, /"name" is required but not declared/);
  });

  test("a template for a parameter that inputs does not declare is refused", () => {
    const [issue] = issues(recipe({ request: 'request: {method: GET, url: "https://api.example.com/items/{{params.idd}}"}' }));
    assert.equal(issue.code, "template");
    assert.match(issue.message, /"idd" is not declared/);
  });

  test("a credential template outside the URL path, or without an auth of kind path, is refused", () => {
    const header = issues(recipe({ request: 'request: {method: GET, url: "https://api.example.com/x", headers: {x-key: "{{credential.demo_token}}"}}' }));
    assert.match(header[0].message, /credentials go in through auth/);
    const path = issues(recipe({ request: 'request: {method: GET, url: "https://api.example.com/bot{{credential.demo_token}}/x"}' }));
    assert.match(path[0].message, /needs an auth of kind path/);
  });

  test("auth using an undeclared credential is refused", () => {
    const [issue] = issues(recipe({ auth: "auth: {kind: bearer, credential: other}" }));
    assert.equal(issue.code, "credential_not_declared");
  });

  test("query in the URL and unknown keys are refused", () => {
    assert.match(issues(recipe({ request: 'request: {method: GET, url: "https://api.example.com/x?a={{params.id}}"}' }))[0].message, /request\.query/);
    const [unknown] = issues(recipe({ extra: "extra: 1" }));
    assert.equal(unknown.code, "schema");
    assert.match(unknown.message, /extra/);
  });

  test("a helper key that is not one of the named helpers is refused", () => {
    const [issue] = issues(recipe({ request: 'request: {method: POST, url: "https://api.example.com/x", body: {kind: json, value: {a: {$eval: "1+1"}}}}' }));
    assert.equal(issue.path, "request.body.value.a");
  });

  test("a response path that cannot be parsed is refused at load", () => {
    const [issue] = issues(recipe({ response: "response: {output: \"$.result\"}" }));
    assert.equal(issue.path, "response.output");
    assert.match(issue.message, /not a body path/);
  });

  test("YAML syntax errors come with a line", () => {
    const result = loadRecipe('name: "unclosed\nversion: 1.0.0\n');
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.issues[0].code === "yaml_syntax" && result.issues[0].line === 1);
  });
});

describe("the standard recipes", () => {
  const files = readdirSync(RECIPES).filter((f) => f.endsWith(".yaml"));

  test("all ten are there", () => {
    assert.deepEqual(files.map((f) => f.replace(/\.yaml$/, "")).sort(), [
      "discord_post", "github_issue_create", "gmail_send", "google_sheets_append", "line_push",
      "notion_page_create", "resend_email", "slack_post", "telegram_send", "webhook_post",
    ]);
  });

  for (const file of files) {
    test(`${file} loads and its name matches the file`, () => {
      const result = loadRecipe(readFileSync(new URL(file, RECIPES), "utf8"));
      assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
      assert.equal(result.recipe.name, file.replace(/\.yaml$/, ""));
      assert.equal(result.recipe.config_example.component, result.recipe.name);
    });
  }

  test("recipes/recipe.schema.json is the schema core generates (regenerate: node --import tsx scripts/recipe-schema.mjs)", () => {
    const published = JSON.parse(readFileSync(new URL("recipe.schema.json", RECIPES), "utf8"));
    assert.deepEqual(published, recipeJsonSchema());
  });

  test("the published JSON Schema accepts every standard recipe and refuses a bad one", async () => {
    const { parse } = await import("yaml");
    const validator = new Validator(recipeJsonSchema() as never, "2020-12", false);
    for (const file of files) {
      const result = validator.validate(parse(readFileSync(new URL(file, RECIPES), "utf8")));
      assert.ok(result.valid, `${file}: ${JSON.stringify(result.errors.slice(-3))}`);
    }
    assert.equal(validator.validate(parse(recipe({ auth: "auth: {kind: magic, credential: demo_token}" }))).valid, false);
  });
});

describe("what a recipe discloses (the push gate)", () => {
  test("hosts, credentials and the parameters that leave", async () => {
    const { discloseRecipe } = await import("./disclose");
    const sheets = loadRecipe(readFileSync(new URL("google_sheets_append.yaml", RECIPES), "utf8"));
    assert.ok(sheets.ok);
    assert.deepEqual(discloseRecipe(sheets.recipe), {
      hosts: ["sheets.googleapis.com", "oauth2.googleapis.com"],
      hosts_from_egress: false,
      credentials: sheets.recipe.credentials,
      fields: ["spreadsheet_id", "range", "value_input_option", "insert_data_option", "values"],
      credential_choices: [["google_service_account"], ["google_oauth"]],
    });
    const hook = loadRecipe(readFileSync(new URL("webhook_post.yaml", RECIPES), "utf8"));
    assert.ok(hook.ok);
    assert.equal(discloseRecipe(hook.recipe).hosts_from_egress, true);
  });
});
