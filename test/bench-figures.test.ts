// The signup bench's derived figures (scripts/bench/figures.mjs): each difference is taken between
// two targets that differ in one thing only, so recording never leaks into the code-node bound.
import { test } from "node:test";
import assert from "node:assert/strict";
// @ts-expect-error: a plain .mjs script module without types
import { signupFigures } from "../scripts/bench/figures.mjs";

const target = (key: string, cpu_us: number, rps = 1000) => ({ key, c10: { cpu_us, rps } });
const measured = [
  target("braw", 80, 12000),
  target("signup5", 360, 3000),
  target("signup5_unrecorded", 240, 4500),
  target("one_node", 200, 5000),
  target("one_node_unrecorded", 120, 8000),
  target("health", 60, 15000),
];

test("recording a run is record: all minus record: none of the same workflow", () => {
  const { recording_us } = signupFigures(measured, { codeNodes: 2 });
  assert.deepEqual(recording_us, { signup5: 120, one_node: 80 });
});

test("the code-node bound compares signup-5 and the 1-node floor both unrecorded", () => {
  // (240 − 120) / 2, not (240 − 200) / 2: the recorded 1-node floor would hide its own recording
  assert.equal(signupFigures(measured, { codeNodes: 2 }).code_node_us_estimate, 60);
  assert.equal(signupFigures(measured, { codeNodes: 0 }).code_node_us_estimate, undefined);
});

test("the ratios the targets name; baseline ratios only with a baseline measured", () => {
  const { ratios } = signupFigures(measured, { codeNodes: 2 });
  assert.equal(ratios.signup5_cpu_vs_braw, 4.5);
  assert.equal(ratios.signup5_rps_vs_braw, 0.25);
  assert.equal(ratios.unrecorded_cpu_vs_braw, 3);
  assert.equal(ratios.one_node_cpu_vs_health, 200 / 60);
  assert.equal(ratios.one_node_unrecorded_cpu_vs_health, 2);
  assert.equal(ratios.signup5_cpu_vs_baseline, undefined);
  const withBaseline = signupFigures([...measured, target("baseline_signup5", 400), target("baseline_signup5_unrecorded", 240), target("baseline_one_node", 160)], { codeNodes: 2 });
  assert.equal(withBaseline.ratios.signup5_cpu_vs_baseline, 0.9);
  assert.equal(withBaseline.ratios.unrecorded_cpu_vs_baseline, 1);
  assert.equal(withBaseline.ratios.one_node_cpu_vs_baseline, 1.25);
});

test("a target not measured leaves its figures out instead of inventing them", () => {
  const { recording_us, code_node_us_estimate, ratios } = signupFigures(measured.filter((t) => t.key !== "one_node_unrecorded"), { codeNodes: 2 });
  assert.equal(recording_us.one_node, undefined);
  assert.equal(recording_us.signup5, 120);
  assert.equal(code_node_us_estimate, undefined);
  assert.equal(ratios.one_node_cpu_vs_health, 200 / 60);
  assert.equal(ratios.one_node_unrecorded_cpu_vs_health, undefined);
});
