import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { executeWorkflow } from "../run/execute";
import { resolverOf } from "../run/testing";
import { compileWorkflow } from "../workflow/compile";
import { credentialRefs } from "../credentials/needs";
import { mustLoadRecipe } from "./load";
import { recipeComponent } from "./component";
import { fakeFetch, json } from "./test-helpers";

const recipe = (name: string) => mustLoadRecipe(readFileSync(new URL(`../../../../recipes/${name}.yaml`, import.meta.url), "utf8"));
const telegram = recipeComponent(recipe("telegram_send"));
const sheets = recipeComponent(recipe("google_sheets_append"));
const TOKEN = "123456:ABC-secret#token";

const workflowYaml = (node: string) => `name: notify
flow: ["input >> ON_SUCCESS >> tell"]
config:
  tell:
${node}`;

describe("a recipe is a node", () => {
  test("compile: unknown recipe, missing and invalid literal parameters", async () => {
    const resolver = resolverOf(telegram);
    const missing = await compileWorkflow(workflowYaml('    component: telegram_send\n    text: "hi"\n'), { resolver });
    assert.equal(missing.ok, false);
    assert.ok(!missing.ok && missing.issues.some((i) => i.code === "missing_input" && i.message.includes('"chat_id"')));
    const invalid = await compileWorkflow(workflowYaml("    component: telegram_send\n    chat_id: 1\n    text: hi\n    parse_mode: Shouting\n"), { resolver });
    assert.ok(!invalid.ok && invalid.issues.some((i) => i.code === "invalid_input" && i.message.includes("parse_mode")));
    const unknown = await compileWorkflow(workflowYaml("    component: telegram_sned\n    chat_id: 1\n    text: hi\n"), { resolver });
    assert.ok(!unknown.ok && unknown.issues.some((i) => i.code === "unknown_component" && /acr recipe push recipes\/telegram_sned\.yaml/.test(i.hint ?? "")));
  });

  test("credentialRefs: the recipe's keys through the node's credentials: mapping; one_of as alternatives", async () => {
    const compiled = await compileWorkflow(
      `name: notify
flow: ["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"]
config:
  a: {component: telegram_send, chat_id: 1, text: hi, credentials: {telegram_bot_token: my_other_bot}}
  b: {component: google_sheets_append, spreadsheet_id: x, range: "A1", values: [[1]]}
`,
      { resolver: resolverOf(telegram, sheets) },
    );
    assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.issues));
    const refs = await credentialRefs(compiled.workflow, resolverOf(telegram, sheets));
    assert.deepEqual(refs.find((r) => r.node === "a"), { name: "my_other_bot", node: "a", via: "recipe", description: recipe("telegram_send").credentials[0].description });
    const b = refs.find((r) => r.node === "b");
    assert.equal(b?.via, "recipe");
    assert.ok((b?.one_of?.length ?? 0) >= 2, "a one_of auth lists its alternatives");
  });

  test("run: parameters templated, credential from the SecretSource under its mapped name, token redacted from the trace", async () => {
    const { fetch, requests } = fakeFetch([json({ ok: true, result: { message_id: 7, text: "hi ada" } })]);
    const asked: string[] = [];
    const record = await executeWorkflow(
      { name: "t", triggers: [], edges: [{ from: "input", relation: "ON_SUCCESS", to: "tell" }], egress: [], hash: "", source: "",
        nodes: { tell: { component: "telegram_send", chat_id: "{{input.chat}}", text: "hi {{input.name}}", credentials: { telegram_bot_token: "my_bot" } } } },
      { resolver: resolverOf(telegram), input: { chat: 42, name: "ada" }, fetch, secrets: { get: async (name) => (asked.push(name), name === "my_bot" ? TOKEN : undefined) } },
    );
    assert.equal(record.status, "succeeded", JSON.stringify(record.nodes));
    assert.deepEqual(asked, ["my_bot"]);
    assert.equal(requests.length, 1);
    // ":" literal as Telegram documents it, "#" escaped so it cannot start a fragment
    assert.equal(requests[0].url.pathname, "/bot123456:ABC-secret%23token/sendMessage");
    assert.deepEqual(JSON.parse(requests[0].body), { chat_id: 42, text: "hi ada" });
    assert.deepEqual(record.result, { message_id: 7, text: "hi ada" });
    assert.ok(!JSON.stringify(record).includes("ABC-secret"), "the token is in no part of the record");
  });

  test("run: invalid templated parameters fail before any call; a missing credential names the stored name", async () => {
    const { fetch, requests } = fakeFetch([]);
    const run = (nodes: Record<string, unknown>, input: unknown) =>
      executeWorkflow(
        { name: "t", triggers: [], edges: [{ from: "input", relation: "ON_SUCCESS", to: "tell" }], egress: [], hash: "", source: "", nodes: { tell: { component: "telegram_send", ...nodes } } },
        { resolver: resolverOf(telegram), input, fetch, secrets: { get: async () => undefined } },
      );
    const bad = await run({ chat_id: 1, text: "{{input.text}}" }, { text: "" });
    assert.equal(bad.nodes[0].error?.code, "invalid_input");
    const missing = await run({ chat_id: 1, text: "hi", credentials: { telegram_bot_token: "my_bot" } }, {});
    assert.equal(missing.nodes[0].error?.code, "credential_missing");
    assert.match(missing.nodes[0].error?.message ?? "", /my_bot/);
    assert.equal(requests.length, 0);
  });
});
