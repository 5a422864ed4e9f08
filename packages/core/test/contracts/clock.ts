/** The Clock contract: milliseconds since the epoch, never going back, and an ISO form of the same instant. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isoNow, type Clock } from "../../src/ports/index";

export function describeClock(label: string, make: () => Clock): void {
  describe(`Clock contract: ${label}`, () => {
    test("now() is an integer count of milliseconds after 2020", () => {
      const t = make().now();
      assert.ok(Number.isInteger(t), `${t} is an integer`);
      assert.ok(t > Date.UTC(2020, 0, 1), `${t} is after 2020`);
    });

    test("now() never goes back", () => {
      const clock = make();
      let last = clock.now();
      for (let i = 0; i < 100; i++) {
        const t = clock.now();
        assert.ok(t >= last);
        last = t;
      }
    });

    test("isoNow is the same instant as ISO 8601 UTC", () => {
      const clock = make();
      const before = clock.now();
      const iso = isoNow(clock);
      assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(Date.parse(iso) >= before && Date.parse(iso) <= clock.now());
    });
  });
}
