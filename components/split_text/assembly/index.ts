// split_text: a text → its pieces between literal separators, or its code points when the
// separator is empty. trim and remove_empty apply per item before limit counts items.
import { run, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  const separator = input.stringOr("separator", "\n");
  const limit = input.integerOr("limit", -1);
  const trim = input.boolOr("trim", false);
  const removeEmpty = input.boolOr("remove_empty", false);
  const out = JSON.arr();
  const pieces = separator.length == 0 ? codePoints(text) : text.split(separator);
  for (let i = 0; i < pieces.length && out.length != limit; i++) {
    const piece = trim ? pieces[i].trim() : pieces[i];
    if (removeEmpty && piece.length == 0) continue;
    out.push(JSON.str(piece));
  }
  return out;
});

/** One item per code point: a surrogate pair is never cut in half (JavaScript's [...text]). */
function codePoints(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i) > 0xffff ? 2 : 1;
    out.push(text.substr(i, width));
    i += width;
  }
  return out;
}
