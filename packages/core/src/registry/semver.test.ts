import { test } from "node:test";
import assert from "node:assert/strict";
import { compareSemver, newestFirst } from "./semver";

test("semver precedence: numeric parts, pre-releases below their release, build metadata ignored", () => {
  const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.equal(compareSemver(ordered[i], ordered[i + 1]), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.equal(compareSemver(ordered[i + 1], ordered[i]), 1);
  }
  assert.equal(compareSemver("1.0.0+a", "1.0.0+b"), 0);
  assert.deepEqual(newestFirst(["1.9.0", "1.10.0", "1.2.3"]), ["1.10.0", "1.9.0", "1.2.3"]);
});
