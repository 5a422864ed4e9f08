// array_dedupe: drops repeated items, keeping the first of each. Items (or their `by` values)
// are equal when their canonical JSON is: deep equality, key order ignored, 1 equal to 1.0.
// Items without the `by` path are never duplicates of anything and are all kept.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { canonical } from "@arcrun/component-sdk/assembly/canonical";
import { child, parsePath } from "@arcrun/component-sdk/assembly/path";

run((input: JSON.Obj): JSON.Value => {
  const items = input.array("items").items;
  const by = parsePath(input.stringOr("by", ""), "by"); // the empty path is the item itself
  const seen = JSON.obj(); // used as a hashed set of canonical texts
  const kept: JSON.Value[] = [];
  for (let i = 0; i < items.length; i++) {
    let value: JSON.Value | null = items[i];
    for (let k = 0; k < by.length && value !== null; k++) value = child(value, by.segments[k]);
    if (value !== null) {
      const key = canonical(value);
      if (seen.has(key)) continue;
      seen.set(key, JSON.NULL);
    }
    kept.push(items[i]);
  }
  return JSON.obj().set("items", JSON.arr(kept)).set("removed", JSON.int(items.length - kept.length));
});
