// `npm run bench` answers its own mistakes before it builds or serves anything: --help prints the
// usage and exits 0; an unknown part or option says which and exits 2 (a script can trust it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const bench = (...args: string[]) => spawnSync(process.execPath, ["scripts/bench.mjs", ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });

test("bench --help prints the usage, names every part and option, and exits 0", () => {
  const r = bench("--help");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: npm run bench -- /);
  for (const word of ["signup", "components", "liveness", "--json", "--extra", "--baseline", "BENCH_ROUNDS"]) assert.ok(r.stdout.includes(word), word);
  assert.doesNotMatch(r.stdout, /req\/s c=1/); // nothing was measured
});

test("bench with an unknown part names it and the parts, and exits 2", () => {
  const r = bench("sigup");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no part "sigup" \(parts: signup, components, liveness\)/);
});

test("bench with an unknown option or a --baseline without its ref exits 2", () => {
  const unknown = bench("--jsn");
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--jsn/);
  const bare = bench("signup", "--baseline");
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /--baseline/);
});
