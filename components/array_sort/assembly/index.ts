// array_sort: a stable sort of a list, by the items themselves or by a path into each item.
// Values of different types sort null < booleans < numbers < strings < arrays < objects;
// numbers compare numerically, strings by UTF-16 code unit (as JavaScript's < does), false <
// true, and arrays or objects among themselves keep their order. Items without the `by` path
// come last in either order.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { Path, child, parsePath } from "@arcrun/component-sdk/assembly/path";
import { compareText, indexes, stableSort } from "@arcrun/component-sdk/assembly/sort";

const NULL_RANK = 0;
const BOOL_RANK = 1;
const NUMBER_RANK = 2;
const STRING_RANK = 3;
const MISSING_RANK = 6;

class SortKey {
  constructor(public rank: i32, public num: f64 = 0, public text: string = "") {}
}

let keys: SortKey[] = [];
let descending = false;

run((input: JSON.Obj): JSON.Value => {
  const items = input.array("items").items;
  const by = parsePath(input.stringOr("by", ""), "by"); // the empty path is the item itself
  const numeric = input.boolOr("numeric", false);
  descending = input.stringOr("order", "asc") == "desc";
  keys = new Array<SortKey>(items.length);
  for (let i = 0; i < items.length; i++) keys[i] = sortKey(valueAt(items[i], by), numeric);
  const order = indexes(items.length);
  stableSort(order, compareItems);
  const sorted = new Array<JSON.Value>(items.length);
  for (let i = 0; i < order.length; i++) sorted[i] = items[order[i]];
  return JSON.arr(sorted);
});

function valueAt(item: JSON.Value, path: Path): JSON.Value | null {
  let value: JSON.Value | null = item;
  for (let k = 0; k < path.length && value !== null; k++) value = child(value, path.segments[k]);
  return value;
}

function sortKey(value: JSON.Value | null, numeric: bool): SortKey {
  if (value === null) return new SortKey(MISSING_RANK);
  switch (value.kind) {
    case JSON.Kind.NULL: return new SortKey(NULL_RANK);
    case JSON.Kind.BOOL: return new SortKey(BOOL_RANK, value.asBool() ? 1 : 0);
    case JSON.Kind.NUMBER: return new SortKey(NUMBER_RANK, value.asNumber());
    case JSON.Kind.STRING: {
      const text = value.asString();
      if (numeric) {
        // "10" after "9": a string holding a JSON number sorts as that number
        const parsed = JSON.tryParse(text);
        if (parsed !== null && parsed.isNumber()) return new SortKey(NUMBER_RANK, parsed.asNumber());
      }
      return new SortKey(STRING_RANK, 0, text);
    }
  }
  return new SortKey(value.isArray() ? 4 : 5);
}

function compareItems(a: i32, b: i32): i32 {
  const x = keys[a];
  const y = keys[b];
  if (x.rank == MISSING_RANK || y.rank == MISSING_RANK) return x.rank == y.rank ? 0 : x.rank == MISSING_RANK ? 1 : -1;
  let c = x.rank - y.rank;
  if (c == 0 && (x.rank == BOOL_RANK || x.rank == NUMBER_RANK)) c = x.num < y.num ? -1 : x.num > y.num ? 1 : 0;
  else if (c == 0 && x.rank == STRING_RANK) c = compareText(x.text, y.text);
  return descending ? -c : c;
}
