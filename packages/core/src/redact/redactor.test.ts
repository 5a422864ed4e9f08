import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redactor } from "./redactor";

/** Encodings computed independently of forms.ts (Node's Buffer and URL APIs). */
function encodings(secret: string): Record<string, string> {
  const b64 = Buffer.from(secret, "utf8").toString("base64");
  return {
    raw: secret,
    json: JSON.stringify(secret).slice(1, -1),
    jsonTwice: JSON.stringify(JSON.stringify(secret)).slice(2, -2),
    base64: b64,
    base64Unpadded: b64.replace(/=+$/, ""),
    base64url: Buffer.from(secret, "utf8").toString("base64url"),
    uriComponent: encodeURIComponent(secret),
    form: new URLSearchParams({ x: secret }).toString().slice(2),
  };
}

function assertClean(redacted: string, secret: string, where = "") {
  // the markers are ours: a one-letter secret may well occur in the word "redacted"
  const text = redacted.replace(/\[redacted:[a-z_]+\]/g, "\u0000");
  for (const [form, encoded] of Object.entries(encodings(secret))) {
    assert.ok(!text.includes(encoded), `${form} form of the secret leaked${where}: ${text.slice(0, 300)}`);
  }
}

const SECRETS = {
  api_token: "sk-live-4f9a2b7c1d",
  tricky: 'p@ss "w/ord"\\ñ 🔑 &=+?#%',
  punctuated: "Ab!'(c)*d",
  numeric: "90210417",
};

describe("Redactor.text", () => {
  const r = new Redactor(SECRETS);

  test("replaces every raw occurrence with the name", () => {
    const out = r.text(`a ${SECRETS.api_token} b ${SECRETS.api_token}${SECRETS.numeric}`);
    assert.equal(out, "a [redacted:api_token] b [redacted:api_token][redacted:numeric]");
  });

  test("leaves text without secrets untouched (same string)", () => {
    const text = "nothing to see sk-live- 9021";
    assert.equal(r.text(text), text);
  });

  for (const [form, encode] of Object.entries({
    "JSON-escaped": (s: string) => JSON.stringify({ v: s }),
    "JSON-escaped twice": (s: string) => JSON.stringify({ body: JSON.stringify({ v: s }) }),
    "JSON ascii-only (\\uXXXX)": (s: string) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0")),
    "JSON with escaped slashes": (s: string) => JSON.stringify(s).replace(/\//g, "\\/"),
    "encodeURIComponent": (s: string) => `https://x.test/?t=${encodeURIComponent(s)}&y=1`,
    "lower-case percent escapes": (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    "encodeURI": (s: string) => encodeURI(`https://x.test/${s}`),
    "form encoding": (s: string) => new URLSearchParams({ token: s, other: "1" }).toString(),
    "base64": (s: string) => `data:${Buffer.from(s).toString("base64")}.`,
    "base64url": (s: string) => `jwt.${Buffer.from(s).toString("base64url")}.sig`,
    "hex (lower case)": (s: string) => `sig=${Buffer.from(s).toString("hex")};`,
    "hex (upper case)": (s: string) => `0x${Buffer.from(s).toString("hex").toUpperCase()}`,
    "upper case": (s: string) => `TOKEN: ${s.toUpperCase()}!`,
    "lower case": (s: string) => `token: ${s.toLowerCase()}!`,
    "every byte as %XX": (s: string) => [...Buffer.from(s)].map((b) => "%" + b.toString(16).padStart(2, "0")).join(""),
    "strict RFC 3986 encoding (!'()* too)": (s: string) => `/p/${encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())}`,
  })) {
    test(`redacts the ${form} form of every secret`, () => {
      for (const [name, secret] of Object.entries(SECRETS)) {
        const out = r.text(encode(secret));
        assertClean(out, secret, ` (${form}, ${name})`);
        assert.match(out, new RegExp(`\\[redacted:${name}\\]`), `${form} of ${name}: ${out}`);
      }
    });
  }

  test("redacts the secret inside a longer base64 text at every byte alignment, both alphabets", () => {
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const prefix of ["", "u", "us", "user:", "Bearer-x"]) {
        for (const suffix of ["", "!", "~~", "tail-bytes"]) {
          const bytes = Buffer.from(prefix + secret + suffix);
          for (const encoded of [bytes.toString("base64"), bytes.toString("base64url")]) {
            const out = r.text(`Authorization: Basic ${encoded}`);
            assert.ok(out.includes(`[redacted:${name}]`), `${name} with ${JSON.stringify(prefix)}…${JSON.stringify(suffix)}: ${out}`);
            // the characters that depend only on the secret's bits are gone
            const startBit = 8 * Buffer.byteLength(prefix);
            const endBit = startBit + 8 * Buffer.byteLength(secret);
            const core = encoded.slice(Math.ceil(startBit / 6), Math.floor(endBit / 6));
            assert.ok(core.length >= 8 && !out.includes(core), `core ${core} of ${name} leaked: ${out}`);
          }
        }
      }
    }
  });

  test("very short secrets are still redacted exactly", () => {
    const short = new Redactor({ pin: "7x!" });
    assert.equal(short.text("pin=7x! and 7x!"), "pin=[redacted:pin] and [redacted:pin]");
    assert.equal(short.text("7x"), "7x");
    assert.equal(short.text(encodeURIComponent("7x!")), "[redacted:pin]");
    assert.equal(short.text(Buffer.from("7x!").toString("base64")), "[redacted:pin]");
  });

  test("overlapping secrets: neither shields part of the other", () => {
    const r2 = new Redactor({ long: "abcdef-123456", short: "xyz-abc" });
    const out = r2.text("xyz-abcdef-123456 end");
    assert.ok(!out.includes("abcdef") && !out.includes("123456") && !out.includes("xyz"), out);
    assert.match(out, /^\[redacted:long\] end$/);
  });

  test("a secret that contains another is labelled by the longer one", () => {
    const r2 = new Redactor({ inner: "secret", outer: "my-secret-token" });
    assert.equal(r2.text("my-secret-token / secret"), "[redacted:outer] / [redacted:inner]");
  });

  test("secrets added later are redacted too; adding the same one twice changes nothing", () => {
    const r2 = new Redactor();
    assert.equal(r2.text("abc-def-ghi"), "abc-def-ghi");
    r2.add("k", "def-ghi").add("k", "def-ghi").add("empty", "");
    assert.equal(r2.size, 1);
    assert.deepEqual(r2.names, ["k"]);
    assert.equal(r2.text("abc-def-ghi"), "abc-[redacted:k]");
  });

  test("randomized: secrets of every length and alphabet never survive in any encoding", () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = 'abcXYZ019-_./+=%&?# "\\\nñé€🔑';
    const chars = [...alphabet];
    for (let round = 0; round < 300; round++) {
      const length = 1 + rand(40);
      const secret = Array.from({ length }, () => chars[rand(chars.length)]).join("");
      const red = new Redactor({ s: secret });
      const prefix = Array.from({ length: rand(6) }, () => chars[rand(chars.length)]).join("");
      const text = [
        `${prefix}${secret}${prefix}`,
        JSON.stringify({ [prefix]: secret, nested: JSON.stringify([secret]) }),
        `q=${encodeURIComponent(secret)}&f=${new URLSearchParams({ secret }).toString()}`,
        Buffer.from(secret).toString("base64"),
        Buffer.from(secret).toString("base64url"),
      ].join(" | ");
      assertClean(red.text(text), secret, ` (round ${round}, secret ${JSON.stringify(secret)})`);
    }
  });
});

describe("Redactor.value", () => {
  const r = new Redactor(SECRETS);

  test("walks objects and arrays, keys and values, without changing the input", () => {
    const input = {
      headers: { Authorization: `Bearer ${SECRETS.api_token}` },
      [SECRETS.api_token]: "as a key",
      list: [1, SECRETS.tricky, { deep: [`x${SECRETS.numeric}x`] }],
      ok: true,
      nothing: null,
    };
    const copy = structuredClone(input);
    const out = r.value(input);
    assert.deepEqual(input, copy);
    assert.deepEqual(out, {
      headers: { Authorization: "Bearer [redacted:api_token]" },
      "[redacted:api_token]": "as a key",
      list: [1, "[redacted:tricky]", { deep: ["x[redacted:numeric]x"] }],
      ok: true,
      nothing: null,
    });
    assertClean(JSON.stringify(out), SECRETS.api_token);
  });

  test("numbers whose digits are a secret become the redacted text", () => {
    assert.deepEqual(r.value({ n: 90210417, m: 12 }), { n: "[redacted:numeric]", m: 12 });
  });

  test("two keys that redact alike are both kept", () => {
    const r2 = new Redactor({ a: "key-one-secret", b: "key-two-secret" });
    const out = r2.value({ "key-one-secret": 1, "[redacted:a]": 2 });
    assert.deepEqual(Object.values(out).sort(), [1, 2]);
    assert.equal(Object.keys(out).length, 2);
  });

  test("errors become plain {name, message, code} with the message redacted", () => {
    const error = Object.assign(new Error(`401 for token ${SECRETS.api_token}`), { code: "http_error" });
    assert.deepEqual(r.value({ error }), { error: { name: "Error", message: "401 for token [redacted:api_token]", code: "http_error" } });
  });

  test("a `__proto__` key stays an own key of the copy", () => {
    const input = JSON.parse(`{"__proto__": {"t": "${SECRETS.api_token}"}, "constructor": 1}`);
    const out = r.value(input) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ["__proto__", "constructor"]);
    assert.equal(JSON.stringify(out), '{"__proto__":{"t":"[redacted:api_token]"},"constructor":1}');
  });

  test("cycles do not hang", () => {
    const a: Record<string, unknown> = { s: SECRETS.numeric };
    a.self = a;
    assert.deepEqual(r.value(a), { s: "[redacted:numeric]", self: "[circular]" });
  });

  test("with no secrets the value is returned as is", () => {
    const v = { a: 1 };
    assert.equal(new Redactor().value(v), v);
  });
});
