import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsonByteLength, utf8ByteLength } from "./limits";
import { newSpanId, newTraceId } from "./trace";

describe("byte lengths", () => {
  test("utf8ByteLength counts what TextEncoder writes: ASCII, 2-, 3- and 4-byte characters, lone surrogates", () => {
    for (const text of ["", "plain ascii", "é ß ñ", "€ — 中文", "emoji 😀👍🏽", "\ud800 alone", "end \udc00", "\udbff\udfff", "mixed a€😀b\u0000"]) {
      assert.equal(utf8ByteLength(text), new TextEncoder().encode(text).length, JSON.stringify(text));
    }
  });

  test("jsonByteLength is the UTF-8 length of the JSON text; undefined counts as null", () => {
    const value = { name: "Zoë", tags: ["😀", 1, null], nested: { ok: true } };
    assert.equal(jsonByteLength(value), new TextEncoder().encode(JSON.stringify(value)).length);
    assert.equal(jsonByteLength(undefined), 4);
    assert.throws(() => jsonByteLength({ big: 1n }), TypeError);
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
