// The SDK's JSON against JavaScript's own: the harness parses stdin and serializes it back,
// and the result must be what JSON.stringify(JSON.parse(text)) gives (or an error when
// JSON.parse throws). Compiled and metered like a real component, run through the real host.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { compileAssemblyScript } from "@arcrun/local/build/compile-as.mjs";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { runWasiCommand } from "@arcrun/core/wasi/run";

const root = fileURLToPath(new URL("../../..", import.meta.url));
let module: WebAssembly.Module;

before(async () => {
  const raw = await compileAssemblyScript({ entry: "packages/component-sdk/test/roundtrip.ts", baseDir: root, maxPages: 256 });
  module = new WebAssembly.Module(meterModule(raw, { maxPages: 256 }));
});

function roundtrip(text: string): string {
  const result = runWasiCommand(module, { stdin: new TextEncoder().encode(text), fuel: 10n ** 10n, maxStdoutBytes: 1 << 24 });
  assert.deepEqual(result.stop, { kind: "exit", code: 0 }, result.stderr);
  return new TextDecoder().decode(result.stdout);
}

function expectLikeJavaScript(text: string) {
  let expected: string;
  try {
    expected = JSON.stringify(JSON.parse(text));
  } catch {
    assert.match(roundtrip(text), /^ERR /, `should refuse ${JSON.stringify(text)}`);
    return;
  }
  assert.equal(roundtrip(text), expected, `for input ${JSON.stringify(text)}`);
}

describe("SDK JSON", () => {
  test("literals, nesting, whitespace and key order", () => {
    for (const text of ["null", "true", "false", " [ ] ", "{}", '{"b":1,"a":[true,null,{"c":"d"}]}', "\n\t[1 , 2]\r\n", '{"a":1,"a":2,"b":3}', '[[[[[]]]]]']) {
      expectLikeJavaScript(text);
    }
  });

  test("numbers print as JavaScript prints them", () => {
    const numbers = ["0", "-0", "1.0", "-1.5", "1e2", "1E+2", "1e-7", "1.5e-7", "0.1", "123456789012345678901234567890", "1e21", "1e300", "1e400", "-1e400",
      "5e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "9007199254740993", "9007199254740992", "4294967296", "-2147483649", "3.14159", "100", "1e-10", "123e-2", "0.000001", "1e-6", "12345.678e3"];
    for (const n of numbers) expectLikeJavaScript(n);
  });

  test("numbers are read exactly, long digit strings and huge exponents included", () => {
    const numbers = ["0.30000000000000004", "1e23", "1.422034454042e49", "14220344540420000000000000000000000000000000000000", "-2.452494297092014e296",
      "0.1000000000000000055511151231257827021181583404541015625", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623158e308", "1.7976931348623159e308",
      "0." + "0".repeat(300) + "1234567890123456789012345", "1" + "0".repeat(400) + "e-400", "123456789012345678901234567890e-40", "1e-100000", "1e100000"];
    for (const n of numbers) expectLikeJavaScript(n);
  });

  test("random doubles keep their exact value and print as JavaScript prints them", () => {
    const values: number[] = [];
    const bytes = new Float64Array(1);
    const view = new Uint32Array(bytes.buffer);
    for (let i = 0; i < 3000; i++) {
      view[0] = (Math.random() * 2 ** 32) >>> 0;
      view[1] = (Math.random() * 2 ** 32) >>> 0;
      if (Number.isFinite(bytes[0])) values.push(bytes[0]);
      values.push(Math.random() * 10 ** Math.floor(Math.random() * 40 - 20));
    }
    const back = JSON.parse(roundtrip(JSON.stringify(values))) as number[];
    assert.equal(back.length, values.length);
    const wrong = values.filter((v, i) => !Object.is(v === 0 ? 0 : v, back[i]));
    assert.deepEqual(wrong, []);
    // and print with JavaScript's digits: the shortest that read back, the closest among those
    const printed = roundtrip(JSON.stringify(values)).slice(1, -1).split(",");
    assert.deepEqual(values.map((v, i) => [String(v), printed[i]]).filter(([js, sdk]) => js !== sdk), []);
  });

  test("strings: escapes, unicode, surrogate pairs and lone surrogates", () => {
    const strings = [
      '"plain"', '"\\"quoted\\" \\\\ \\/ slash"', '"\\b\\f\\n\\r\\t"', '"\\u0000\\u001f\\u007f"', '"\\u00e9\\u65e5\\u672c"', '"héllo 日本"',
      '"\\ud83d\\ude00"', '"😀 astral"', '"\\ud800"', '"\\udc00 lone low"', '"\\ud800\\ud800"', '"\\uD83D\\uDE00 upper hex"', '"\\u2028\\u2029"', '""',
    ];
    for (const s of strings) expectLikeJavaScript(s);
    expectLikeJavaScript(JSON.stringify({ key: "x".repeat(100000), "ü": ["\u0001", "\ud7ff\ue000\uffff"] }));
  });

  test("invalid JSON is refused with a position", () => {
    const invalid = ["", " ", "[1,]", '{"a":1,}', "01", "1.", ".5", "+1", "-", "1e", "1e+", "NaN", "Infinity", "tru", "nul", "'a'", '"a', '"\\x"', '"\\u12"', '"tab\there"',
      "[1 2]", '{"a" 1}', "{a:1}", "[", "]", '{"a":1}}', "1 2", "\u00a0 1"];
    for (const text of invalid) expectLikeJavaScript(text);
    assert.match(roundtrip("[1,]"), /^ERR .* at position 3$/);
  });

  test("nesting deeper than 500 levels is refused instead of overflowing the stack", () => {
    assert.match(roundtrip("[".repeat(501) + "]".repeat(501)), /^ERR nesting deeper than 500/);
    assert.equal(roundtrip("[".repeat(500) + "]".repeat(500)), "[".repeat(500) + "]".repeat(500));
  });
});
