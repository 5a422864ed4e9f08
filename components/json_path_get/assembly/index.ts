// json_path_get: the value at a path in any JSON ("items[0].id", "items.0.id", "items[-1]").
// A missing path gives `default` when the parameter is present (null counts), else fails with
// path_not_found naming the first segment that is missing.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { child, notFound, parsePath } from "@arcrun/component-sdk/assembly/path";

run((input: JSON.Obj): JSON.Value => {
  const path = parsePath(input.string("path"), "path");
  let value = input.value("data");
  for (let k = 0; k < path.length; k++) {
    const next = child(value, path.segments[k]);
    if (next === null) {
      const fallback = input.get("default");
      return fallback !== null ? fallback : notFound(path, k, value);
    }
    value = next;
  }
  return value;
});
