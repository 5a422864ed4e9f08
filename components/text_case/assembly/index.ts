// text_case: upper, lower, title, snake, kebab or camel case. Upper and lower use full Unicode
// case mapping (ß → SS); the word-based cases split on separators and on lower→Upper changes.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  const mode = input.stringOr("case", "upper");
  if (mode == "upper") return JSON.str(text.toUpperCase());
  if (mode == "lower") return JSON.str(text.toLowerCase());
  if (mode == "title") return JSON.str(titleCase(text));
  if (mode == "snake") return JSON.str(words(text, true).join("_"));
  if (mode == "kebab") return JSON.str(words(text, true).join("-"));
  if (mode == "camel") return JSON.str(camelCase(words(text, true)));
  return fail("invalid_input", "unknown case '" + mode + "': use upper, lower, title, snake, kebab or camel");
});

function isUpper(c: i32): bool { return c >= 0x41 && c <= 0x5a; }
function isLower(c: i32): bool { return c >= 0x61 && c <= 0x7a; }
function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }

/** Letters, digits, apostrophes and any non-ASCII character except common spaces. */
function isWordChar(c: i32): bool {
  if (c < 0x80) return isUpper(c) || isLower(c) || isDigit(c) || c == 0x27;
  return c != 0xa0 && c != 0x3000 && !(c >= 0x2000 && c <= 0x200b);
}

function capitalize(word: string): string {
  if (word.length == 0) return word;
  // a leading surrogate pair stays together
  const first = word.codePointAt(0) > 0xffff ? 2 : 1;
  return word.substring(0, first).toUpperCase() + word.substring(first).toLowerCase();
}

function titleCase(text: string): string {
  const out: string[] = [];
  let start = 0;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    const word = i < text.length && isWordChar(text.charCodeAt(i));
    if (word && !inWord) {
      if (i > start) out.push(text.substring(start, i));
      start = i;
    } else if (!word && inWord) {
      out.push(capitalize(text.substring(start, i)));
      start = i;
    }
    inWord = word;
  }
  if (start < text.length) out.push(text.substring(start));
  return out.join("");
}

/** Splits "helloWorld_XMLParser v2" into hello, world, xml, parser, v2 (lowercased if asked). */
function words(text: string, lower: bool): string[] {
  const out: string[] = [];
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x20;
    if (!isWordChar(c) || c == 0x27) {
      if (start >= 0) out.push(text.substring(start, i));
      start = -1;
      continue;
    }
    if (start < 0) { start = i; continue; }
    const prev = text.charCodeAt(i - 1);
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    // fooBar → foo|Bar ; XMLParser → XML|Parser
    if (isUpper(c) && (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(next)))) {
      out.push(text.substring(start, i));
      start = i;
    }
  }
  if (lower) for (let i = 0; i < out.length; i++) out[i] = out[i].toLowerCase();
  return out;
}

function camelCase(parts: string[]): string {
  let s = "";
  for (let i = 0; i < parts.length; i++) s += i == 0 ? parts[i] : capitalize(parts[i]);
  return s;
}
