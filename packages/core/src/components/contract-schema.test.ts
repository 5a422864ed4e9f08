import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseContract } from "./contract-schema";

const valid = {
  name: "hmac_sign",
  version: "1.2.0-beta.1",
  description: "Signs a message",
  author: "arcrun",
  category: "crypto",
  input_schema: { type: "object", required: ["message"], properties: { message: { type: "string" }, secret: { type: "string" } } },
  output_schema: { type: "string" },
  credentials_required: [{ key: "signing_key", inject_as: "secret", description: "HMAC key" }],
  config_example: { message: "{{input.body}}" },
  no_network_syscall: true,
  limits: { timeout_ms: 500, memory_pages: 32 },
};

function problems(value: unknown): string {
  try {
    parseContract(value, "components/x/contract.yaml");
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string };
    assert.equal(e.code, "invalid_contract");
    assert.match(e.message, /components\/x\/contract\.yaml/);
    assert.ok(e.hint);
    return e.message;
  }
  assert.fail("the contract was accepted");
}

describe("contract schema", () => {
  test("a complete contract parses to the Contract type", () => {
    const contract = parseContract(valid);
    assert.equal(contract.name, "hmac_sign");
    assert.equal(contract.credentials_required?.[0].inject_as, "secret");
    assert.equal(contract.limits?.memory_pages, 32);
  });

  test("name, version and description are required; version is semver", () => {
    const message = problems({ name: "X-bad", version: "1.0", description: "" });
    assert.match(message, /name: use lowercase/);
    assert.match(message, /version: use semantic versioning/);
    assert.match(message, /description: /);
  });

  test("unknown keys are refused with a did-you-mean", () => {
    assert.match(problems({ ...valid, input_shema: {} }), /unknown key "input_shema" \(did you mean "input_schema"\?\)/);
  });

  test("input_schema.required must name declared properties, and the parameters are an object", () => {
    assert.match(problems({ ...valid, input_schema: { type: "object", required: ["mesage"], properties: { message: {} } } }), /"mesage" is required but not declared/);
    assert.match(problems({ ...valid, input_schema: { type: "array" } }), /input_schema\.type: the parameters are an object/);
  });

  test("credentials_required entries need key and inject_as; limits are checked", () => {
    assert.match(problems({ ...valid, credentials_required: [{ key: "k" }] }), /credentials_required\.0\.inject_as/);
    assert.match(problems({ ...valid, limits: { timeout_ms: -1 } }), /limits\.timeout_ms/);
    assert.match(problems({ ...valid, limits: { memory_pages: 70000 } }), /limits\.memory_pages/);
  });
});
