// csv_parse: CSV text (RFC 4180) to a list of objects keyed by the header, or a list of lists.
// Quoted fields may hold delimiters, "" escapes and line breaks; records end at CRLF, LF or CR.
// Syntax errors name the line and column (1-based, counted in UTF-16 units like JavaScript).
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

let text = "";
let delimiter = 0;
let trim = false;
let pos = 0;
let line = 1;
let lineStart = 0;
let quoted = false; // the record just read had a quoted field
let fieldLines: i32[] = [];
let fieldColumns: i32[] = [];

run((input: JSON.Obj): JSON.Value => {
  text = input.string("text");
  delimiter = input.stringOr("delimiter", ",").charCodeAt(0); // one character, per the input schema
  trim = input.boolOr("trim", false);
  const header = input.boolOr("header", true);
  const skipEmpty = input.boolOr("skip_empty_lines", true);
  const strict = input.boolOr("strict", true);
  if (text.length > 0 && text.charCodeAt(0) == 0xfeff) pos = lineStart = 1; // byte order mark

  const out = JSON.arr();
  let names: string[] | null = null;
  for (let fields = readRecord(); fields !== null; fields = readRecord()) {
    if (skipEmpty && !quoted && fields.length == 1 && fields[0].length == 0) continue;
    if (!header) {
      const row = JSON.arr();
      for (let i = 0; i < fields.length; i++) row.push(JSON.str(fields[i]));
      out.push(row);
      continue;
    }
    if (names === null) {
      names = fields;
      continue;
    }
    if (fields.length > names.length && strict) {
      syntaxError(fields.length.toString() + " fields but the header has " + names.length.toString() +
        "; quote fields that contain the delimiter, or set strict: false to drop the extra fields", fieldLines[names.length], fieldColumns[names.length]);
    }
    const row = JSON.obj();
    // missing trailing fields are null; with strict: false, extra fields are dropped
    for (let i = 0; i < names.length; i++) row.set(names[i], i < fields.length ? JSON.str(fields[i]) : JSON.NULL);
    out.push(row);
  }
  return out;
});

function syntaxError(problem: string, atLine: i32, atColumn: i32): void {
  fail("csv_syntax", "line " + atLine.toString() + ", column " + atColumn.toString() + ": " + problem,
    JSON.obj().set("line", JSON.int(atLine)).set("column", JSON.int(atColumn)));
}

function isBlank(c: i32): bool {
  return c == 0x20 || c == 0x09;
}

/** The fields of the next record, or null at the end of the text. */
function readRecord(): string[] | null {
  const n = text.length;
  if (pos >= n) return null;
  const fields: string[] = [];
  fieldLines = [];
  fieldColumns = [];
  quoted = false;
  while (true) {
    fieldLines.push(line);
    fieldColumns.push(pos - lineStart + 1);
    let p = pos;
    if (trim) while (p < n && isBlank(text.charCodeAt(p))) p++;
    if (p < n && text.charCodeAt(p) == QUOTE) {
      fields.push(readQuoted(p));
      quoted = true;
    } else {
      p = pos;
      while (p < n) {
        const c = text.charCodeAt(p);
        if (c == delimiter || c == LF || c == CR) break;
        p++;
      }
      fields.push(trim ? text.substring(pos, p).trim() : text.substring(pos, p));
      pos = p;
    }
    if (pos >= n) return fields;
    const c = text.charCodeAt(pos++);
    if (c == delimiter) continue;
    // a line break ends the record: CRLF, LF or a lone CR
    if (c == CR && pos < n && text.charCodeAt(pos) == LF) pos++;
    line++;
    lineStart = pos;
    return fields;
  }
  return fields;
}

/** A quoted field whose opening quote is at `open`; leaves `pos` after the closing quote. */
function readQuoted(open: i32): string {
  const n = text.length;
  const openLine = line;
  const openColumn = open - lineStart + 1;
  const parts: string[] = [];
  let p = open + 1;
  let from = p;
  while (true) {
    if (p >= n) {
      syntaxError("the quoted field is never closed; end it with \" and write a quote inside it as \"\"", openLine, openColumn);
    }
    const c = text.charCodeAt(p);
    if (c == QUOTE) {
      parts.push(text.substring(from, p));
      if (p + 1 < n && text.charCodeAt(p + 1) == QUOTE) {
        parts.push("\"");
        p += 2;
        from = p;
        continue;
      }
      p++;
      break;
    }
    if (c == LF) {
      line++;
      lineStart = p + 1;
    }
    p++;
  }
  if (trim) while (p < n && isBlank(text.charCodeAt(p))) p++;
  if (p < n) {
    const c = text.charCodeAt(p);
    if (c != delimiter && c != LF && c != CR) {
      syntaxError("unexpected character after the closing quote of a field; write a quote inside a quoted field as \"\"", line, p - lineStart + 1);
    }
  }
  pos = p;
  return parts.join("");
}
