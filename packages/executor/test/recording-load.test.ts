/**
 * Nothing lost (issue 12 § 3): 20,000 sync runs at saturation, many requests at once, are
 * answered before their records are written (the recording queue saves them in D1 batches
 * after the responses) and every one of them is recorded — exactly 20,000 rows, no more.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { eventually, startExecutor, TEST_API_KEY, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const RUNS = 20_000;
const CONNECTIONS = 64;
const FLOW = `name: tally
flow:
  - "input >> ON_SUCCESS >> answer"
config:
  answer:
    component: respond
    body: {n: "{{input.n}}"}
`;

describe("recording under load", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor();
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: FLOW });
    assert.equal(status, 201, JSON.stringify(body));
  });
  after(() => ex.stop());

  test(`${RUNS} runs through the named query at ${CONNECTIONS} connections → exactly ${RUNS} records`, { timeout: 600_000 }, async () => {
    // node:http with keep-alive: the cheapest client, so the executor is the one saturated
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const url = new URL(`${ex.url}/webhooks/named/tally/query`);
    const send = (n: number) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ n });
        const req = request(url, { method: "POST", agent, headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(body);
      });
    let next = 0;
    const failed: number[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < RUNS) {
          const n = next++;
          if ((await send(n)) !== 200) failed.push(n);
        }
      }),
    );
    agent.destroy();
    assert.deepEqual(failed, [], "every request answered 200");
    const total = await eventually(async () => {
      const { body } = await ex.json("/runs?workflow=tally&limit=1");
      return body.total === RUNS ? body.total : undefined;
    }, `${RUNS} records`, 200);
    assert.equal(total, RUNS);
    // settled: no late duplicate or extra record either
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await ex.json("/runs?workflow=tally&limit=1")).body.total, RUNS);
  });
});
