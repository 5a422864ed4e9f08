import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Component, ComponentResolver } from "../components/types";
import type { CompiledWorkflow, WorkflowFile } from "../workflow/schema";
import { credentialNames, credentialRefs, nodeCredentialNeeds } from "./needs";
import { injectCredentials } from "./inject";
import { credentialMissing } from "./errors";

const telegram: Component = {
  name: "telegram_send",
  kind: "recipe",
  contract: {
    name: "telegram_send",
    version: "1.0.0",
    description: "send",
    credentials_required: [{ key: "telegram_token", inject_as: "token", description: "bot token" }],
  },
  run: async () => ({ success: true, data: null }),
};
const resolver: ComponentResolver = {
  resolve: async (name) => (name === "telegram_send" ? telegram : name === "broken" ? Promise.reject(new Error("boom")) : undefined),
  list: async () => ["telegram_send"],
};

describe("nodeCredentialNeeds", () => {
  test("finds credential templates anywhere in the parameters, once each, ignoring other roots", () => {
    const needs = nodeCredentialNeeds({
      url: "https://api.test/{{credential.path_token}}?k={{ credential.api_key }}",
      headers: { Authorization: "Bearer {{credential.api_key}}", "X-Other": "{{input.x}}" },
      list: ["{{credential.third}}", 3, null],
    });
    assert.deepEqual(needs, { templates: ["path_token", "api_key", "third"], injections: [] });
  });

  test("a malformed template elsewhere does not hide credential templates", () => {
    assert.deepEqual(nodeCredentialNeeds({ a: "{{input..x}}", b: "{{credential.k}}" }).templates, ["k"]);
  });

  test("contract injections apply unless the node sets the field itself", () => {
    assert.deepEqual(nodeCredentialNeeds({ text: "hi" }, telegram.contract).injections.map((i) => i.key), ["telegram_token"]);
    assert.deepEqual(nodeCredentialNeeds({ text: "hi", token: "{{credential.other_bot}}" }, telegram.contract), {
      templates: ["other_bot"],
      injections: [],
    });
  });
});

describe("credentialRefs", () => {
  const file: WorkflowFile = {
    name: "w",
    flow: ["input >> ON_SUCCESS >> notify"],
    config: {
      notify: { component: "telegram_send", chat_id: "1", text: "{{input.msg}}" },
      fetch: { component: "http_request", url: "https://x.test", headers: { Authorization: "Bearer {{credential.api_key}}" } },
      other: { component: "telegram_send", token: "{{credential.second_bot}}", text: "x" },
      weird: { component: "broken", key: "{{credential.api_key}}" },
    },
  };

  test("lists template and contract credentials per node (workflow file or compiled)", async () => {
    const refs = await credentialRefs(file, resolver);
    assert.deepEqual(refs, [
      { name: "telegram_token", node: "notify", via: "contract", inject_as: "token", description: "bot token" },
      { name: "api_key", node: "fetch", via: "template" },
      { name: "second_bot", node: "other", via: "template" },
      { name: "api_key", node: "weird", via: "template" },
    ]);
    assert.deepEqual(credentialNames(refs), ["api_key", "second_bot", "telegram_token"]);
    const compiled = { name: "w", nodes: file.config, edges: [], egress: [], triggers: [], hash: "", source: "" } as CompiledWorkflow;
    assert.deepEqual(await credentialRefs(compiled, resolver), refs);
  });
});

describe("injectCredentials", () => {
  test("sets top-level and nested fields on a copy", () => {
    const params = { text: "hi", auth: { user: "u" } };
    const out = injectCredentials(params, [{ inject_as: "token", value: "t0k" }, { inject_as: "auth.password", value: "pw" }, { inject_as: "deep.er", value: "d" }]);
    assert.deepEqual(out, { text: "hi", auth: { user: "u", password: "pw" }, token: "t0k", deep: { er: "d" } });
    assert.deepEqual(params, { text: "hi", auth: { user: "u" } });
  });

  test("a value that looks like a template stays literal, and __proto__ paths do not pollute", () => {
    const out = injectCredentials({}, [{ inject_as: "token", value: "{{input.x}}" }, { inject_as: "__proto__.polluted", value: "x" }]);
    assert.equal(out.token, "{{input.x}}");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
});

test("credentialMissing names the credential and node and gives the push command", () => {
  const error = credentialMissing("api_key", "fetch");
  assert.equal(error.code, "credential_missing");
  assert.match(error.message, /node "fetch" needs credential "api_key"/);
  assert.match(error.hint!, /acr creds push/);
  assert.deepEqual(error.toBody().error.credential, "api_key");
});
