/** The recording queue (services/record-queue.ts): many runs per save, by size and by time, nothing lost. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryRunStore, type RunRecord } from "@arcrun/core";
import { RecordQueue } from "../../src/services/record-queue";

const run = (i: number): RunRecord => ({
  run_id: `r${i}`,
  workflow: "w",
  status: "succeeded",
  result: { i },
  started_at: new Date(1_700_000_000_000 + i).toISOString(),
  duration_ms: 1,
  nodes: [],
});

/** A memory store that counts its bulk saves and can be told to fail batches or single runs. */
class CountingStore extends MemoryRunStore {
  batches: number[] = [];
  failBatches = false;
  failRun?: string;
  async saveMany(runs: RunRecord[]): Promise<void> {
    this.batches.push(runs.length);
    if (this.failBatches && runs.length > 1) throw new Error("batch refused");
    if (runs.some((r) => r.run_id === this.failRun)) throw new Error("run refused");
    for (const r of runs) await this.save(r);
  }
}

describe("record queue", () => {
  test("a full batch is saved at once, in one bulk save", async () => {
    const store = new CountingStore();
    const queue = new RecordQueue(store, { maxRuns: 10, maxDelayMs: 20 });
    const saved = Array.from({ length: 30 }, (_, i) => queue.add(run(i)));
    assert.deepEqual(store.batches, [10, 10, 10], "each full batch is written as it fills, not after the delay");
    await Promise.all(saved);
    assert.equal(await store.count({}), 30);
    assert.equal(queue.waiting, 0);
  });

  test("a batch that does not fill is saved after the delay", async () => {
    const store = new CountingStore();
    const queue = new RecordQueue(store, { maxRuns: 100, maxDelayMs: 5 });
    const first = queue.add(run(1));
    const joined = [queue.add(run(2)), queue.add(run(3))];
    assert.deepEqual(store.batches, [], "nothing is written before the delay");
    await Promise.all(joined);
    assert.deepEqual(store.batches, [], "a run that joined a batch does not wait for it");
    await first; // the request that opened the batch waits for its flush
    assert.deepEqual(store.batches, [3]);
    assert.equal(await store.count({}), 3);
  });

  test("a busy isolate waits longer for its next batch; a quiet one keeps the short window", async () => {
    const store = new CountingStore();
    const queue = new RecordQueue(store, { maxRuns: 8, maxDelayMs: 5, busyDelayMs: 200 });
    const timed = async (runs: number[]) => {
      const started = performance.now();
      await Promise.all(runs.map((i) => queue.add(run(i))));
      return performance.now() - started;
    };
    assert.ok((await timed([1])) < 150, "a lone run waits the short window");
    await timed([2, 3]); // a quarter of maxRuns: the isolate counts as busy
    const busy = await timed([4]);
    assert.ok(busy >= 195, `after a batch of 2 of 8 the next waits busyDelayMs (waited ${busy.toFixed(0)} ms)`);
    assert.ok((await timed([5])) < 150, "after a batch of one, the short window again");
    assert.deepEqual(store.batches, [1, 2, 1, 1]);
  });

  test("a failing batch is retried run by run: only the bad run is lost, and it is logged", async () => {
    const store = new CountingStore();
    store.failBatches = true;
    store.failRun = "r2";
    const queue = new RecordQueue(store, { maxRuns: 4, maxDelayMs: 1 });
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await Promise.all([0, 1, 2, 3].map((i) => queue.add(run(i))));
    } finally {
      console.error = original;
    }
    assert.deepEqual((await store.list({})).map((r) => r.run_id).sort(), ["r0", "r1", "r3"]);
    assert.ok(logged.some((l) => l.includes("run r2 (w) could not be saved")), logged.join("\n"));
  });

  test("a store without saveMany is saved run by run", async () => {
    const store = new MemoryRunStore();
    const queue = new RecordQueue(store, { maxRuns: 2, maxDelayMs: 1 });
    await Promise.all([1, 2, 3].map((i) => queue.add(run(i))));
    assert.equal(await store.count({}), 3);
  });

  test("a store that encodes gets back what it encoded when the run was queued, and a failing batch still run by run", async () => {
    const saved: string[][] = [];
    let failBatches = true;
    const store = Object.assign(new MemoryRunStore(), {
      encode: (r: RunRecord) => ({ run_id: r.run_id, workflow: r.workflow, text: JSON.stringify(r.result) }),
      saveEncoded: async (runs: { run_id: string; text?: string }[]) => {
        if (failBatches && runs.length > 1) throw new Error("batch refused");
        saved.push(runs.map((r) => `${r.run_id}=${r.text}`));
      },
    });
    const queue = new RecordQueue(store, { maxRuns: 2, maxDelayMs: 1 });
    const record = run(1);
    const flushed = queue.add(record);
    (record.result as { i: number }).i = 99; // changed after queuing: the encoding made at add is saved
    const filled = queue.add(run(2)); // the batch is full: this request flushes it
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await Promise.all([flushed, filled]);
    } finally {
      console.error = original;
    }
    assert.deepEqual(saved, [['r1={"i":1}'], ['r2={"i":2}']], "the batch failed, then each run was saved alone, as encoded");
    failBatches = false;
    await Promise.all([queue.add(run(3)), queue.add(run(4))]);
    assert.deepEqual(saved.at(-1), ['r3={"i":3}', 'r4={"i":4}']);
    assert.equal(await store.count({}), 0, "nothing went through save()");
  });
});
