// join_text: a list of scalars → one text. Objects and lists have no single obvious text form,
// so they are refused with their index rather than joined as JSON or "[object Object]".
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
import { TextBuilder } from "@arcrun/component-sdk/assembly/text-builder";

run((input: JSON.Obj): JSON.Value => {
  const items = input.array("items").items;
  const separator = input.stringOr("separator", ", ");
  const last = input.stringOr("last_separator", separator);
  const out = new TextBuilder();
  out.add(input.stringOr("prefix", ""));
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.add(i == items.length - 1 ? last : separator);
    out.add(textOf(items[i], i));
  }
  out.add(input.stringOr("suffix", ""));
  return JSON.str(out.toString());
});

function textOf(value: JSON.Value, index: i32): string {
  if (value.isString()) return value.asString();
  if (value.isNumber()) return JSON.formatNumber(value.asNumber());
  if (value.isBool()) return value.asBool() ? "true" : "false";
  if (value.isNull()) return "";
  return fail(
    "not_joinable",
    "items[" + index.toString() + "] is " + (value.isArray() ? "a list" : "an object") + ": only strings, numbers and booleans can be joined; pick a field of it first",
    JSON.obj().set("index", JSON.int(index)).set("type", JSON.str(value.typeName())),
  ).asString();
}
