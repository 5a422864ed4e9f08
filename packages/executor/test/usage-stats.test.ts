// Usage statistics in real workerd: the executor reports each run's component verdicts to the
// registry over the REGISTRY service binding after the response. With the real registry in the
// same Miniflare instance the counters come out exact; a registry that hangs or answers 500
// changes nothing about the runs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import buildComponents from "@arcrun/local/build/components.mjs";
import { registryWorker } from "@arcrun/local/host/miniflare-options";
import { registryBundle, TEST_ADMIN_KEY } from "@arcrun/local/host/test-registry";
import { eventually, jsonHeaders, startExecutor, type TestExecutor } from "@arcrun/local/host/test-executor";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const REGISTRY_KEY = "executor-registry-key-0123456789";

const WORKFLOW = `name: b64
flow: ["input >> ON_SUCCESS >> dec", "dec >> ON_SUCCESS >> tidy"]
config:
  dec: {component: base64, action: decode, text: "{{input.text}}"}
  tidy: {component: code, code: "return String(input).trim()", input: "{{dec.data}}"}
`;

const execute = (ex: TestExecutor, text: string) => ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: WORKFLOW, input: { text } }) });

describe("usage statistics from the executor to the real registry", () => {
  let ex: TestExecutor;
  const registry = (path: string, init: RequestInit = {}) =>
    fetch(registryUrl + path, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, "content-type": "application/json", ...(init.headers as object) } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  let registryUrl = "";

  before(async () => {
    await buildComponents({ root, log: () => {} });
    const scriptPath = await registryBundle();
    ex = await startExecutor({
      registryKey: REGISTRY_KEY,
      serviceBindings: { REGISTRY: "arcrun-registry" },
      workers: [registryWorker({ scriptPath, adminKey: TEST_ADMIN_KEY, authorKeys: { executor: REGISTRY_KEY } })],
    });
    registryUrl = (await ex.mf.unsafeGetDirectURL("arcrun-registry")).href.replace(/\/$/, "");
    // the standard base64 component, registered as the admin (author arcrun) and approved
    const contract = parseYaml(readFileSync(`${root}components/base64/contract.yaml`, "utf8"));
    const wasm = readFileSync(`${root}components/base64/build/base64.wasm`).toString("base64");
    const features = [{ path: "features/base64.feature", text: readFileSync(`${root}components/base64/features/base64.feature`, "utf8") }];
    const submitted = await registry("/submit", { method: "POST", body: JSON.stringify({ contract, wasm, features }) });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal((await registry(`/submit/${submitted.body.id}/approve`, { method: "PATCH" })).status, 200);
  });
  after(() => ex?.stop());

  test("ten runs, three with failing input: total_runs 10, success rate 0.7, the code node not counted", async () => {
    const inputs = ["aGk=", "*bad", "Ym9i", "YWRh", "!!", "aGVsbG8=", "d29ybGQ=", "%", "eA==", "eXo="];
    for (const text of inputs) {
      const { status, body } = await execute(ex, text);
      assert.equal(status, 200, JSON.stringify(body));
    }
    const stats = await eventually(async () => {
      const { body } = await registry("/components/base64/1.0.0");
      return body.stats?.total_runs === 10 ? body.stats : undefined;
    }, "ten runs counted");
    assert.equal(stats.success_rate, 0.7);
    assert.ok(stats.avg_duration_ms > 0 && stats.avg_duration_ms < 1000, `avg ${stats.avg_duration_ms} ms`);
    assert.equal(stats.days.length, 1);
    assert.equal(stats.days[0].total_runs, 10);
    const [listed] = (await registry("/components?q=base64")).body.components;
    assert.deepEqual([listed.total_runs, listed.success_rate], [10, 0.7]);
    console.log(`base64 after 10 runs: total_runs ${stats.total_runs}, success_rate ${stats.success_rate}, avg_duration_ms ${stats.avg_duration_ms}`);
  });
});

describe("a registry that hangs or fails never fails or slows a run", () => {
  for (const kind of ["hangs", "answers 500"] as const) {
    test(`REGISTRY ${kind}`, async () => {
      let calls = 0;
      const ex = await startExecutor({
        registryKey: REGISTRY_KEY,
        serviceBindings: {
          REGISTRY: async () => {
            calls++;
            if (kind === "hangs") return new Promise<never>(() => {});
            return new Response("registry broke", { status: 500 });
          },
        },
      });
      try {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          const { status, body } = await execute(ex, i % 2 ? "*" : "aGk=");
          times.push(performance.now() - started);
          assert.equal(status, 200, JSON.stringify(body));
          assert.equal(body.status, i % 2 ? "failed" : "succeeded");
        }
        await eventually(async () => (calls >= 5 ? true : undefined), "the executor tried to report each run");
        assert.ok(Math.max(...times.slice(1)) < 2000, `runs answered in ${times.map(Math.round).join(", ")} ms (the report timeout is 5000 ms)`);
        // a sync run is saved a moment after its answer (the recording queue's batch window)
        const total = await eventually(async () => {
          const { total } = (await ex.json("/runs?workflow=b64")).body;
          return total >= 5 ? total : undefined;
        }, "every run recorded");
        assert.equal(total, 5, "every run recorded, once");
        assert.equal((await ex.json("/health")).status, 200);
        console.log(`registry ${kind}: run answer times ${times.map(Math.round).join(", ")} ms`);
      } finally {
        await ex.stop();
      }
    });
  }
});
