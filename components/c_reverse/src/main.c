// c_reverse: reverses a text by Unicode code point. The proof that any language targeting
// wasm32-wasi runs in arcrun: plain C, clang, wasi-libc, the same host as the AssemblyScript
// components. Input {"text": "..."} on stdin (the host sends exactly this shape after checking
// input_schema); output the reversed text as a JSON string, or a failure envelope.
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUT (64 * 1024)

static char input[MAX_INPUT + 1];
static uint32_t points[MAX_INPUT];
static char output[MAX_INPUT * 6 + 64];
static size_t out_len;

static void put(const char *s, size_t n) {
  memcpy(output + out_len, s, n);
  out_len += n;
}

static void flush_and_exit(int code) {
  size_t done = 0;
  while (done < out_len) {
    ssize_t n = write(1, output + done, out_len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  _exit(code);
}

static void fail(const char *code, const char *message) {
  out_len = 0;
  put("{\"success\":false,\"error\":{\"code\":\"", 34);
  put(code, strlen(code));
  put("\",\"message\":\"", 13);
  put(message, strlen(message));
  put("\"}}", 3);
  flush_and_exit(0);
}

static int hex4(const char *p, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

// Decodes one UTF-8 sequence at *p (input is valid UTF-8: the host encoded it).
static uint32_t utf8(const char **p) {
  const unsigned char *s = (const unsigned char *)*p;
  uint32_t c = s[0];
  int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
  c &= extra == 3 ? 0x07 : extra == 2 ? 0x0f : extra == 1 ? 0x1f : 0x7f;
  for (int i = 1; i <= extra; i++) c = (c << 6) | (s[i] & 0x3f);
  *p += extra + 1;
  return c;
}

// Parses the JSON string starting at the opening quote into code points; returns the count.
static size_t parse_string(const char *p, const char *end) {
  size_t n = 0;
  p++;
  while (p < end && *p != '"') {
    uint32_t c;
    if (*p != '\\') {
      points[n++] = utf8(&p);
      continue;
    }
    char e = p[1];
    p += 2;
    switch (e) {
      case 'n': c = '\n'; break;
      case 't': c = '\t'; break;
      case 'r': c = '\r'; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'u':
        if (!hex4(p, &c)) fail("invalid_input", "bad \\\\u escape in text");
        p += 4;
        // a surrogate pair is one code point
        if (c >= 0xd800 && c <= 0xdbff && p[0] == '\\' && p[1] == 'u') {
          uint32_t low;
          if (hex4(p + 2, &low) && low >= 0xdc00 && low <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
            p += 6;
          }
        }
        break;
      default: c = (uint32_t)e; // \" \\ \/
    }
    points[n++] = c;
  }
  return n;
}

static void put_code_point(uint32_t c) {
  char buf[8];
  if (c == '"' || c == '\\') { buf[0] = '\\'; buf[1] = (char)c; put(buf, 2); return; }
  if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
    static const char hex[] = "0123456789abcdef";
    char esc[6] = {'\\', 'u', hex[(c >> 12) & 15], hex[(c >> 8) & 15], hex[(c >> 4) & 15], hex[c & 15]};
    put(esc, 6);
    return;
  }
  if (c < 0x80) { buf[0] = (char)c; put(buf, 1); return; }
  if (c < 0x800) { buf[0] = (char)(0xc0 | (c >> 6)); buf[1] = (char)(0x80 | (c & 0x3f)); put(buf, 2); return; }
  if (c < 0x10000) {
    buf[0] = (char)(0xe0 | (c >> 12)); buf[1] = (char)(0x80 | ((c >> 6) & 0x3f)); buf[2] = (char)(0x80 | (c & 0x3f));
    put(buf, 3);
    return;
  }
  buf[0] = (char)(0xf0 | (c >> 18)); buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
  buf[2] = (char)(0x80 | ((c >> 6) & 0x3f)); buf[3] = (char)(0x80 | (c & 0x3f));
  put(buf, 4);
}

int main(void) {
  size_t length = 0;
  for (;;) {
    if (length == MAX_INPUT) fail("too_long", "c_reverse takes at most 64 KiB of input");
    ssize_t n = read(0, input + length, MAX_INPUT - length);
    if (n <= 0) break;
    length += (size_t)n;
  }
  input[length] = 0;
  const char *key = strstr(input, "\"text\":\"");
  if (!key) fail("invalid_input", "expected {\\\"text\\\": string}");
  size_t count = parse_string(key + 7, input + length);
  if (count == 0) fail("empty_text", "there is nothing to reverse: text is empty");
  put("\"", 1);
  for (size_t i = count; i > 0; i--) put_code_point(points[i - 1]);
  put("\"", 1);
  flush_and_exit(0);
  return 0;
}
