// Canonical JSON text: object keys sorted by code unit at every level, so {"a":1,"b":2} and
// {"b":2,"a":1} give the same text; numbers print as JavaScript prints them (1.0 is 1).
import { JSON } from "./index";
import { compareText, indexes, stableSort } from "./sort";

let keysBeingSorted: string[] = [];

function byKey(a: i32, b: i32): i32 {
  return compareText(keysBeingSorted[a], keysBeingSorted[b]);
}

export function canonical(value: JSON.Value): string {
  const out: string[] = [];
  write(out, value);
  return out.join("");
}

function write(out: string[], value: JSON.Value): void {
  if (value.isArray()) {
    const items = value.asArray().items;
    out.push("[");
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(",");
      write(out, items[i]);
    }
    out.push("]");
  } else if (value.isObject()) {
    const o = value.asObject();
    const order = indexes(o.size);
    keysBeingSorted = o.keys; // sorted before recursing, so nested objects may reuse it
    stableSort(order, byKey);
    out.push("{");
    for (let i = 0; i < order.length; i++) {
      if (i > 0) out.push(",");
      out.push(JSON.quote(o.keys[order[i]]));
      out.push(":");
      write(out, o.values[order[i]]);
    }
    out.push("}");
  } else {
    out.push(value.stringify());
  }
}
