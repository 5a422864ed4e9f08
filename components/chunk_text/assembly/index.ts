// chunk_text: a text → slices of at most `size` UTF-16 units. Each cut is searched backwards
// from the window's end for the preferred boundary, but only past the previous chunk's end,
// so every chunk adds new text and the loop always advances.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  const size = <i32>input.integer("size");
  const overlap = <i32>input.integerOr("overlap", 0);
  const mode = input.stringOr("break_on", "whitespace");
  if (overlap >= size) {
    return fail("invalid_overlap", "overlap (" + overlap.toString() + ") must be less than size (" + size.toString() + "): lower overlap or raise size");
  }
  const chunks = JSON.arr();
  const len = text.length;
  let start = 0;
  let prevEnd = 0;
  while (start < len) {
    let end = start + size >= len ? len : cut(text, prevEnd, start + size, mode);
    chunks.push(JSON.obj()
      .set("index", JSON.int(chunks.length))
      .set("text", JSON.str(text.substring(start, end)))
      .set("start", JSON.int(start))
      .set("end", JSON.int(end)));
    if (end >= len) break;
    start = nextStart(text, start, end, overlap, mode != "none");
    prevEnd = end;
  }
  return chunks;
});

function isSpace(c: i32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d) || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/** True when a cut at `at` would separate the halves of a surrogate pair. */
function midPair(text: string, at: i32): bool {
  const hi = text.charCodeAt(at - 1);
  const lo = text.charCodeAt(at);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

function spaceCut(text: string, at: i32): bool {
  return isSpace(text.charCodeAt(at - 1)) || isSpace(text.charCodeAt(at));
}

/** After . ! ? … (and closing quotes or brackets) followed by whitespace, or after 。！？ or a line break. */
function sentenceCut(text: string, at: i32): bool {
  const prev = text.charCodeAt(at - 1);
  if (prev == 0x0a || prev == 0x3002 || prev == 0xff01 || prev == 0xff1f) return true;
  let k = at;
  if (isSpace(prev)) while (k > 0 && isSpace(text.charCodeAt(k - 1))) k--;
  else if (!isSpace(text.charCodeAt(at))) return false;
  while (k > 0 && isCloser(text.charCodeAt(k - 1))) k--;
  if (k == 0) return false;
  const c = text.charCodeAt(k - 1);
  return c == 0x2e || c == 0x21 || c == 0x3f || c == 0x2026; // . ! ? …
}

/** " ' ) ] » ” ’ : may follow a sentence's last mark. (Char codes, not strings: no allocation in the hot loop.) */
function isCloser(c: i32): bool {
  return c == 0x22 || c == 0x27 || c == 0x29 || c == 0x5d || c == 0xbb || c == 0x201d || c == 0x2019;
}

/** Where the chunk ending at most at `end` should stop; always past `after` (the previous end). */
function cut(text: string, after: i32, end: i32, mode: string): i32 {
  if (mode == "sentence") for (let c = end; c > after; c--) if (sentenceCut(text, c)) return c;
  if (mode != "none") for (let c = end; c > after; c--) if (spaceCut(text, c)) return c;
  if (!midPair(text, end)) return end;
  return end - 1 > after ? end - 1 : end + 1; // the pair stays whole, even if one unit over size
}

/** The next chunk's start: `overlap` units back from `end`, moved forward to a word if asked. */
function nextStart(text: string, start: i32, end: i32, overlap: i32, atWord: bool): i32 {
  let next = end - overlap;
  if (atWord && next < end && !isSpace(text.charCodeAt(next - 1))) {
    while (next < end && !isSpace(text.charCodeAt(next))) next++;
    while (next < end && isSpace(text.charCodeAt(next))) next++;
  }
  if (midPair(text, next)) next += next - 1 > start ? -1 : 1;
  return next;
}
