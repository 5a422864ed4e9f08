import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { checkEgress, parseEgressRule, restrictedKind } from "./egress";

const allowed = (url: string, egress: string[]) => checkEgress(url, egress).allowed;

describe("parseEgressRule", () => {
  test("hosts, ports, wildcards, IPv6 and URLs", () => {
    assert.deepEqual(parseEgressRule("API.Example.com"), { host: "api.example.com", kind: "exact", port: undefined });
    assert.deepEqual(parseEgressRule("api.example.com:8443"), { host: "api.example.com", kind: "exact", port: 8443 });
    assert.deepEqual(parseEgressRule("*.example.com"), { host: ".example.com", kind: "subdomains", port: undefined });
    assert.deepEqual(parseEgressRule("[::1]:8080"), { host: "::1", kind: "exact", port: 8080 });
    assert.deepEqual(parseEgressRule("::1"), { host: "::1", kind: "exact", port: undefined });
    assert.deepEqual(parseEgressRule("https://api.example.com/v1"), { host: "api.example.com", kind: "exact", port: undefined });
    assert.deepEqual(parseEgressRule("*"), { host: "", kind: "any" });
    assert.equal(parseEgressRule("not a host"), undefined);
    assert.equal(parseEgressRule("example.com:99999"), undefined);
  });
});

describe("checkEgress", () => {
  test("denied by default", () => {
    const d = checkEgress("https://api.example.com/x", []);
    assert.equal(d.allowed, false);
    if (!d.allowed) {
      assert.equal(d.code, "egress_denied");
      assert.match(d.message, /api\.example\.com/);
      assert.match(d.hint, /egress/);
    }
  });
  test("exact host, any port unless a port is given", () => {
    assert.ok(allowed("https://api.example.com/x", ["api.example.com"]));
    assert.ok(allowed("https://api.example.com:8443/x", ["api.example.com"]));
    assert.ok(allowed("https://api.example.com:8443/x", ["api.example.com:8443"]));
    assert.ok(!allowed("https://api.example.com/x", ["api.example.com:8443"]));
    assert.ok(allowed("http://api.example.com/x", ["api.example.com:80"]));
    assert.ok(!allowed("https://evil.com/x", ["api.example.com"]));
    assert.ok(!allowed("https://api.example.com.evil.com/x", ["api.example.com"]));
  });
  test("wildcards cover subdomains, not the apex or look-alikes", () => {
    assert.ok(allowed("https://a.example.com/", ["*.example.com"]));
    assert.ok(allowed("https://a.b.example.com/", ["*.example.com"]));
    assert.ok(!allowed("https://example.com/", ["*.example.com"]));
    assert.ok(!allowed("https://badexample.com/", ["*.example.com"]));
  });
  test("only http and https", () => {
    assert.ok(!allowed("ftp://api.example.com/", ["api.example.com"]));
    assert.ok(!allowed("file:///etc/passwd", ["*"]));
    assert.ok(!allowed("not a url", ["*"]));
  });
  test("restricted addresses are refused unless named literally", () => {
    for (const url of [
      "http://127.0.0.1:8080/", "http://localhost/", "http://api.localhost/", "http://10.1.2.3/", "http://172.16.0.1/",
      "http://172.31.255.255/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data", "http://169.254.1.1/",
      "http://[::1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
      "http://0.0.0.0/", "http://2130706433/", "http://0x7f.1/", "http://[::]/",
    ]) {
      assert.ok(!allowed(url, ["*"]), `${url} must be refused even with "*"`);
      assert.ok(!allowed(url, ["*.0.1", "*.1"]), `${url} must be refused by wildcards`);
    }
    assert.ok(allowed("http://127.0.0.1:8080/", ["127.0.0.1"]));
    assert.ok(allowed("http://127.0.0.1:8080/", ["127.0.0.1:8080"]));
    assert.ok(!allowed("http://127.0.0.1:8081/", ["127.0.0.1:8080"]));
    assert.ok(allowed("http://[::1]:9000/", ["::1"]));
    assert.ok(allowed("http://localhost:3000/", ["localhost"]));
    assert.ok(!allowed("http://127.0.0.2/", ["127.0.0.1"]));
    const d = checkEgress("http://169.254.169.254/", ["*"]);
    assert.ok(!d.allowed && /metadata/.test(d.message) && /literally/.test(d.hint));
  });
  test("public addresses near private ranges are fine with a rule", () => {
    assert.ok(allowed("http://172.32.0.1/", ["172.32.0.1"]));
    assert.ok(allowed("http://8.8.8.8/", ["*"]));
    assert.equal(restrictedKind("172.15.0.1"), undefined);
    assert.equal(restrictedKind("11.0.0.1"), undefined);
    assert.equal(restrictedKind("2606:4700::1111"), undefined);
  });
});
