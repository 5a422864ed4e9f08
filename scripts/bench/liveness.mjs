// `npm run bench` (liveness part): the executor in local workerd, where every request shares one
// thread (DESIGN § Runtime facts). /health is polled every 100 ms while `while(true){}` code
// nodes burn their work budget; the figure is the slowest /health answer. Lines: one node at the
// default budget (limits.cpu_ms 100), four runs at once (three webhooks' worth of load plus one
// sync run), and one node that opted in to cpu_ms 2000 (what the opt-in costs locally).
import { join } from "node:path";
import { randomBytes } from "node:crypto";

const POLL_MS = 100;

const spinning = (name, nodes, limits) =>
  `name: ${name}\nflow:\n${nodes.map((n, i) => `  - "${i ? `n${i - 1} >> ALWAYS` : "input >> ON_SUCCESS"} >> n${i}"`).join("\n")}\nconfig:\n` +
  nodes.map((_, i) => `  n${i}: {component: code, code: "while (true) {}"${limits ? `, limits: ${limits}` : ""}}`).join("\n") + "\n";

export async function benchLiveness({ root, temp, Miniflare, bundleExecutor, executorMiniflareOptions }) {
  const { scriptPath } = await bundleExecutor({ root, outdir: join(temp, "liveness") });
  const apiKey = randomBytes(24).toString("base64url");
  const mf = new Miniflare(executorMiniflareOptions({ scriptPath, apiKey, port: 0 }));
  try {
    const url = (await mf.unsafeGetDirectURL()).href.replace(/\/$/, "");
    const execute = (workflow) =>
      fetch(`${url}/execute`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ workflow, input: {} }),
      }).then((r) => r.json());
    await execute(spinning("warm", [0])); // QuickJS and the isolate exist before timing

    console.log(`\nliveness in local workerd: /health polled every ${POLL_MS} ms while while(true) nodes work`);
    const cases = [
      ["max /health latency during a while(true) node (default cpu_ms 100)", () => [execute(spinning("one", [0, 1, 2, 3, 4]))]],
      ["max /health latency during 4 runs of while(true) nodes at once", () => [1, 2, 3, 4].map((i) => execute(spinning(`four_${i}`, [0, 1, 2, 3, 4])))],
      ["max /health latency during a while(true) node with cpu_ms 2000 (opt-in)", () => [execute(spinning("opt_in", [0], "{cpu_ms: 2000}"))]],
    ];
    for (const [label, start] of cases) {
      const started = performance.now();
      let done = false;
      const runs = Promise.all(start()).finally(() => (done = true));
      let worst = 0;
      let polls = 0;
      while (!done) {
        const sent = performance.now();
        await fetch(`${url}/health`).then((r) => r.arrayBuffer());
        worst = Math.max(worst, performance.now() - sent);
        polls++;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      const records = await runs;
      const codes = [...new Set(records.flatMap((r) => r.nodes.map((n) => n.error?.code ?? n.status)))].join(", ");
      console.log(`  ${label.padEnd(72)} ${worst.toFixed(0).padStart(6)} ms   (${polls} polls, runs ${(performance.now() - started).toFixed(0)} ms, nodes: ${codes})`);
    }
  } finally {
    await mf.dispose().catch(() => {});
  }
}
