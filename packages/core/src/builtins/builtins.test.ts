import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { createBuiltins, staticResolver } from "./index";
import { executeWorkflow } from "../run/execute";
import { workflow } from "../run/testing";

const resolver = staticResolver(createBuiltins({ loadQuickJS: () => newQuickJSWASMModuleFromVariant(variant) }));
let server: Server;
let base = "";
before(async () => {
  server = createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("builtins through the scheduler", () => {
  //   input → shape(code) → adult?(if) ─ON_TRUE→ call(http_request) ─→ both(merge)
  //                                    └ON_FALSE→ refuse(code) ───────→ both(merge)
  test("code → if → http_request / code → merge", async () => {
    const wf = workflow(
      ["input >> ON_SUCCESS >> shape", "shape >> ON_SUCCESS >> adult", "adult >> ON_TRUE >> call", "adult >> ON_FALSE >> refuse", "call >> ON_SUCCESS >> both", "refuse >> ON_SUCCESS >> both"],
      {
        shape: { component: "code", input: "{{input}}", code: "console.log('shaping'); return { name: input.name.trim(), age: Number(input.age) }" },
        adult: { component: "if", condition: { value: "{{shape.data.age}}", op: "gte", to: 18 }, data: "{{shape.data}}" },
        call: { component: "http_request", url: `${base}/users/{{shape.data.name}}` },
        refuse: { component: "code", input: { who: "{{shape.data.name}}" }, code: "return 'no ' + input.who" },
        both: { component: "merge", mode: "first" },
      },
      { egress: ["127.0.0.1"] },
    );
    const adult = await executeWorkflow(wf, { resolver, input: { name: " ada ", age: "36" } });
    assert.equal(adult.status, "succeeded");
    assert.deepEqual(adult.result, { status: 200, ok: true, headers: (adult.result as { headers: object }).headers, body: { path: "/users/ada" } });
    assert.deepEqual(adult.nodes.find((n) => n.node === "shape")?.logs, ["shaping"]);
    const minor = await executeWorkflow(wf, { resolver, input: { name: "tim", age: 9 } });
    assert.equal(minor.result, "no tim");
    assert.deepEqual(minor.nodes.map((n) => n.status), ["succeeded", "succeeded", "skipped", "succeeded", "succeeded"]);
  });

  test("an endless loop times out its node while a sibling branch finishes", async () => {
    const wf = workflow(["input >> ON_SUCCESS >> spin", "input >> ON_SUCCESS >> fine", "spin >> ON_FAILURE >> report"], {
      spin: { component: "code", code: "while (true) {}", limits: { timeout_ms: 100 } },
      fine: { component: "code", code: "return 'ok'" },
      report: { component: "code", input: "{{spin.error}}", code: "return input.code" },
    });
    const record = await executeWorkflow(wf, { resolver, input: {} });
    assert.equal(record.status, "succeeded");
    assert.deepEqual(record.result, { fine: "ok", report: "timeout" });
    assert.equal(record.nodes.find((n) => n.node === "spin")?.attempts, 1);
  });

  test("http_request without a declared host fails with egress_denied and a hint", async () => {
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> call"], { call: { component: "http_request", url: `${base}/x` } }), { resolver, input: {} });
    assert.equal(record.status, "failed");
    assert.equal(record.error?.code, "egress_denied");
    assert.match(record.error?.message ?? "", /egress/);
  });
});
