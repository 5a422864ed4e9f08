// json_pick: a copy of an object holding only the given paths, nested structure kept. Keys come
// in the order of `paths`; an array keeps each picked item at its index, with null in the gaps,
// so every picked path reads the same value in the output as in the data.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { Path, child, indexIn, notFound, parsePath } from "@arcrun/component-sdk/assembly/path";

run((input: JSON.Obj): JSON.Value => {
  const data = input.object("data");
  const paths = input.array("paths").items;
  const strict = !input.boolOr("ignore_missing", true);
  const out = JSON.obj();
  for (let i = 0; i < paths.length; i++) {
    const path = parsePath(paths[i].asString(), "paths[" + i.toString() + "]");
    const chain = resolve(data, path, strict);
    if (chain !== null) copyInto(out, chain, path);
  }
  return out;
});

/** The values along `path` (data first, picked value last), or null when a segment is missing. */
function resolve(data: JSON.Value, path: Path, strict: bool): JSON.Value[] | null {
  const chain: JSON.Value[] = [data];
  let value = data;
  for (let k = 0; k < path.length; k++) {
    const next = child(value, path.segments[k]);
    if (next === null) {
      if (strict) notFound(path, k, value);
      return null;
    }
    chain.push(next);
    value = next;
  }
  return chain;
}

/** Builds the containers along `chain` in `out` (reusing those earlier paths made) and sets the value. */
function copyInto(out: JSON.Value, chain: JSON.Value[], path: Path): void {
  let target = out;
  for (let k = 0; k < path.length; k++) {
    const next = chain[k + 1];
    const last = k == path.length - 1;
    const key = path.segments[k];
    let slot: JSON.Value;
    if (target.isObject()) {
      const o = target.asObject();
      const existing = o.get(key);
      slot = existing !== null && existing.kind == next.kind && !last ? existing : last ? next : empty(next);
      o.set(key, slot);
    } else {
      const items = target.asArray().items;
      const index = indexIn(key, chain[k].asArray().length);
      while (items.length <= index) items.push(JSON.NULL);
      const existing = items[index];
      // a gap holds null, never the container kind we descend into
      slot = existing.kind == next.kind && !last ? existing : last ? next : empty(next);
      items[index] = slot;
    }
    // a whole value picked by an earlier, shorter path already holds this one
    if (slot === next) return;
    target = slot;
  }
}

function empty(like: JSON.Value): JSON.Value {
  return like.isArray() ? JSON.arr() : JSON.obj();
}
