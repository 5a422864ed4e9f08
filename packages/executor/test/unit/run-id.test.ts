/** Run ids (services/runner.ts newRunId): UUID version 7, in the order they were made, never repeated. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { newRunId } from "../../src/services/runner";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("run ids are UUIDv7 that sort in the order they were made, within one millisecond too, and never repeat", () => {
  const ids = Array.from({ length: 5000 }, () => newRunId()); // far more than one per millisecond
  for (const id of ids) assert.match(id, V7);
  assert.deepEqual([...ids].sort(), ids, "text order is creation order: new keys go to the end of the index");
  assert.equal(new Set(ids).size, ids.length);
  const ms = parseInt(ids[0].replace(/-/g, "").slice(0, 12), 16);
  assert.ok(Math.abs(ms - Date.now()) < 60_000, "the first 48 bits are the time in ms");
});

test("two ids made back to back differ in their random bits, not only in the counter", () => {
  const tail = (id: string) => id.slice(-10); // the last 40 bits: random in every id
  const tails = new Set(Array.from({ length: 200 }, () => tail(newRunId())));
  assert.ok(tails.size > 190, `random tails: ${tails.size} distinct of 200`);
});
