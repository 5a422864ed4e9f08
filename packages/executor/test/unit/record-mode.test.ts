/** `record: all | failures | none` (issue 12 § 3): which finished sync runs are saved. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inMemoryExecutor, json, yaml } from "./in-memory";

const flow = (name: string, mode?: string) => `name: ${name}
${mode ? `record: ${mode}\n` : ""}flow:
  - "input >> ON_SUCCESS >> check"
config:
  check:
    component: respond
    status: "{{input.status}}"
    body: done
`;

async function savedRuns(mode: string | undefined, name: string) {
  const ex = inMemoryExecutor();
  assert.equal((await ex.request("/workflows", { method: "POST", headers: yaml, body: flow(name, mode) })).status, 201);
  assert.equal((await ex.request(`/q/${name}?status=200`)).status, 200);
  assert.equal((await ex.json(`/q/${name}?status=99`)).body.status, "failed");
  await ex.settle();
  return (await ex.services.runs.list({ workflow: name })).map((r) => r.status).sort();
}

describe("record modes (in-process)", () => {
  test("default and `all` save every run; `failures` only failed ones; `none` nothing", async () => {
    assert.deepEqual(await savedRuns(undefined, "dflt"), ["failed", "succeeded"]);
    assert.deepEqual(await savedRuns("all", "every"), ["failed", "succeeded"]);
    assert.deepEqual(await savedRuns("failures", "fails"), ["failed"]);
    assert.deepEqual(await savedRuns("none", "nothing"), []);
  });

  test("a webhook run is recorded to the end whatever the mode (it was saved as running first)", async () => {
    const ex = inMemoryExecutor();
    const created = await ex.json("/workflows", { method: "POST", headers: yaml, body: flow("hooked", "none") });
    const path = new URL(created.body.webhook_url).pathname;
    const started = await ex.json(path, { method: "POST", headers: json, body: '{"status":200}', auth: false });
    assert.equal(started.status, 202);
    await ex.settle();
    assert.equal((await ex.services.runs.get(started.body.run_id))?.status, "succeeded");
  });
});
