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
  const n = text.length;
  const step = separator.length;
  // pieces are cut one at a time rather than with text.split: a large string[] costs
  // quadratic time under the incremental GC (measured: 29 s for 228 KB of words, now 0.07 s)
  let start = 0;
  while (out.length != limit) {
    let end = n;
    if (step == 0) {
      if (start >= n) break;
      end = start + (text.codePointAt(start) > 0xffff ? 2 : 1); // a surrogate pair stays one item
    } else {
      end = text.indexOf(separator, start);
      if (end < 0) end = n;
    }
    const piece = trim ? text.substring(start, end).trim() : text.substring(start, end);
    if (!removeEmpty || piece.length > 0) out.push(JSON.str(piece));
    if (step > 0 && end == n) break;
    start = end + step;
  }
  return out;
});
