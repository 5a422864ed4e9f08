/** The workerd supervisor on its own: a refused port is restarted; restarts that keep failing give up (acr dev then exits non-zero). */
import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { test } from "node:test";
import { superviseWorkerd } from "../src/host/supervise";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

test("a listening port is left alone; a refused one is restarted", async () => {
  const port = await closedPort();
  const lines: string[] = [];
  let restarts = 0;
  const listener = createServer();
  const s = superviseWorkerd({
    host: "127.0.0.1",
    port,
    intervalMs: 20,
    log: (l) => lines.push(l),
    restart: async () => {
      restarts++;
      await new Promise<void>((ok) => listener.listen(port, "127.0.0.1", ok));
    },
    onGiveUp: () => assert.fail("must not give up"),
  });
  try {
    for (let i = 0; i < 100 && s.restarts === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(s.restarts, 1);
    await new Promise((r) => setTimeout(r, 200)); // listening now: no second restart
    assert.equal(restarts, 1);
    assert.match(lines.join("\n"), /stopped answering[\s\S]*started again/);
  } finally {
    s.stop();
    listener.close();
  }
});

test("3 failed restarts within the window: gives up once, says why", async () => {
  const port = await closedPort();
  const lines: string[] = [];
  let gaveUp = 0;
  const s = superviseWorkerd({
    host: "127.0.0.1",
    port,
    intervalMs: 10,
    log: (l) => lines.push(l),
    restart: async () => {
      throw new Error("workerd would not start");
    },
    onGiveUp: () => gaveUp++,
  });
  const keepAlive = setInterval(() => {}, 1000); // the supervisor's timer is unref'd (it never holds acr dev open)
  const error = await s.failed.finally(() => clearInterval(keepAlive));
  assert.match(error.message, /3 failures within 60 s/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(gaveUp, 1);
  assert.equal(lines.filter((l) => /could not start workerd again: workerd would not start/.test(l)).length, 3);
});
