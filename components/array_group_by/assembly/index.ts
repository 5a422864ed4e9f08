// array_group_by: items grouped by the value at a path, as {key: [items…]} in first-seen key
// order. The key is the value as text: a string as it is, anything else as canonical JSON
// (1, true, null, {"a":1} with sorted keys), so 1 and "1" share a group, as in JavaScript.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { canonical } from "@arcrun/component-sdk/assembly/canonical";
import { child, parsePath } from "@arcrun/component-sdk/assembly/path";

run((input: JSON.Obj): JSON.Value => {
  const items = input.array("items").items;
  const by = parsePath(input.string("by"), "by");
  const missing = input.stringOr("missing", "_missing");
  const groups = JSON.obj();
  for (let i = 0; i < items.length; i++) {
    let value: JSON.Value | null = items[i];
    for (let k = 0; k < by.length && value !== null; k++) value = child(value, by.segments[k]);
    const key = value === null ? missing : value.isString() ? value.asString() : canonical(value);
    let group = groups.get(key);
    if (group === null) {
      group = JSON.arr();
      groups.set(key, group);
    }
    group.asArray().push(items[i]);
  }
  return groups;
});
