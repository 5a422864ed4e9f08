import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsonBytesOver, utf8ByteLength } from "./limits";

const utf8Json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value) ?? "null").length;
import { newSpanId, newTraceId } from "./trace";

describe("byte lengths", () => {
  test("utf8ByteLength counts what TextEncoder writes: ASCII, 2-, 3- and 4-byte characters, lone surrogates", () => {
    for (const text of ["", "plain ascii", "é ß ñ", "€ — 中文", "emoji 😀👍🏽", "\ud800 alone", "end \udc00", "\udbff\udfff", "mixed a€😀b\u0000"]) {
      assert.equal(utf8ByteLength(text), new TextEncoder().encode(text).length, JSON.stringify(text));
    }
  });

  test("jsonBytesOver counts the UTF-8 length of the JSON text; undefined counts as null", () => {
    const value = { name: "Zoë", tags: ["😀", 1, null], nested: { ok: true } };
    assert.equal(jsonBytesOver(value, 0), new TextEncoder().encode(JSON.stringify(value)).length);
    assert.equal(jsonBytesOver(undefined, 0), 4);
    assert.throws(() => jsonBytesOver({ big: 1n }, 0), TypeError);
  });

  test("jsonBytesOver answers the byte length exactly when it is over the limit, at every boundary", () => {
    // short and long texts, 1- to 4-byte characters, around limit / 3 (where counting starts) and the limit itself
    const values = ["", "a".repeat(8), "a".repeat(40), "é".repeat(14), "€".repeat(11), "😀".repeat(8), { k: "中".repeat(9) }, ["x", 1, null], "a€😀".repeat(5)];
    for (const value of values) {
      const bytes = utf8Json(value);
      for (let limit = 0; limit <= bytes * 3 + 3; limit++) {
        assert.equal(jsonBytesOver(value, limit), bytes > limit ? bytes : undefined, `${JSON.stringify(value)} at ${limit}`);
      }
    }
    assert.throws(() => jsonBytesOver({ big: 1n }, 1_000_000), TypeError); // not JSON, however small
  });
});

describe("trace ids", () => {
  test("lower-case hex of the W3C sizes, never all zeros, different each time", () => {
    const traces = new Set(Array.from({ length: 200 }, () => newTraceId()));
    const spans = new Set(Array.from({ length: 200 }, () => newSpanId()));
    assert.equal(traces.size, 200);
    assert.equal(spans.size, 200);
    for (const id of traces) assert.match(id, /^(?!0+$)[0-9a-f]{32}$/);
    for (const id of spans) assert.match(id, /^(?!0+$)[0-9a-f]{16}$/);
  });
});
