// csv_stringify: a list of objects or lists to CSV text (RFC 4180). Fields that hold the
// delimiter, a quote, a line break or leading/trailing blanks are quoted, quotes doubled.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { TextBuilder } from "@arcrun/component-sdk/assembly/text-builder";

run((input: JSON.Obj): JSON.Value => {
  const rows = input.array("rows"); // items are objects or lists, per the input schema
  const delimiter = input.stringOr("delimiter", ",");
  const lineEnding = input.stringOr("line_ending", "\n");
  const columns = columnsOf(input, rows);
  // one growing buffer: a string[] of lines is quadratic under the incremental GC
  const out = new TextBuilder();
  if (input.boolOr("header", true) && columns.length > 0) record(out, columns, delimiter, lineEnding);
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    const cells: string[] = [];
    if (row.isObject()) {
      const obj = row.asObject();
      for (let c = 0; c < columns.length; c++) cells.push(cell(obj.get(columns[c])));
    } else {
      const items = row.asArray();
      for (let c = 0; c < items.length; c++) cells.push(cell(items.at(c)));
    }
    record(out, cells, delimiter, lineEnding);
  }
  return JSON.str(out.toString());
});

/** The `columns` parameter, else every key of the object rows in first-seen order. */
function columnsOf(input: JSON.Obj, rows: JSON.Arr): string[] {
  const columns: string[] = [];
  const given = input.get("columns");
  if (given !== null && given.isArray()) {
    const list = given.asArray();
    for (let i = 0; i < list.length; i++) columns.push(list.at(i).asString());
    return columns;
  }
  const seen = JSON.obj(); // a set with O(1) look-ups past a few keys
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    if (!row.isObject()) continue;
    const keys = row.asObject().keys;
    for (let k = 0; k < keys.length; k++) {
      if (seen.has(keys[k])) continue;
      seen.set(keys[k], JSON.NULL);
      columns.push(keys[k]);
    }
  }
  return columns;
}

/** A cell's text: strings as they are, null or missing as empty, nested values as JSON. */
function cell(value: JSON.Value | null): string {
  if (value === null || value.isNull()) return "";
  if (value.isString()) return value.asString();
  return value.stringify();
}

/** One record and its line ending. */
function record(out: TextBuilder, cells: string[], delimiter: string, lineEnding: string): void {
  // a lone empty field is written "" so the record does not read back as an empty line
  if (cells.length == 1 && cells[0].length == 0) out.add("\"\"");
  else {
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) out.add(delimiter);
      out.add(field(cells[i], delimiter));
    }
  }
  out.add(lineEnding);
}

function field(s: string, delimiter: string): string {
  const n = s.length;
  const needsQuotes = n > 0 && (isBlank(s.charCodeAt(0)) || isBlank(s.charCodeAt(n - 1)) ||
    s.includes(delimiter) || s.includes("\"") || s.includes("\n") || s.includes("\r"));
  return needsQuotes ? "\"" + s.replaceAll("\"", "\"\"") + "\"" : s;
}

function isBlank(c: i32): bool {
  return c == 0x20 || c == 0x09;
}
