// json_omit: the object without the given paths. Every path is resolved against the original
// data first, so removing "items.0" does not shift what "items.2" means.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { child, indexIn, notFound, parsePath } from "@arcrun/component-sdk/assembly/path";

// Marks array items to remove; a distinct instance, so a real null is never mistaken for it.
const REMOVED = new JSON.Null();

run((input: JSON.Obj): JSON.Value => {
  const data = input.object("data");
  const paths = input.array("paths").items;
  const strict = !input.boolOr("ignore_missing", true);
  const parents: JSON.Value[] = [];
  const keys: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = parsePath(paths[i].asString(), "paths[" + i.toString() + "]");
    let parent: JSON.Value = data;
    let k = 0;
    for (; k < path.length - 1; k++) {
      const next = child(parent, path.segments[k]);
      if (next === null) break;
      parent = next;
    }
    const last = path.segments[path.length - 1];
    if (k == path.length - 1 && child(parent, last) !== null) {
      parents.push(parent);
      keys.push(last);
    } else if (strict) {
      notFound(path, k, parent);
    }
  }
  const touched: JSON.Arr[] = [];
  for (let i = 0; i < parents.length; i++) {
    const parent = parents[i];
    if (parent.isObject()) {
      parent.asObject().remove(keys[i]);
    } else {
      const arr = parent.asArray();
      arr.items[indexIn(keys[i], arr.length)] = REMOVED;
      touched.push(arr);
    }
  }
  for (let i = 0; i < touched.length; i++) touched[i].items = touched[i].items.filter((v: JSON.Value) => v !== REMOVED);
  return data;
});
