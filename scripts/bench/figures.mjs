// The signup bench's derived figures, from its measured targets (each `{key, c10: {rps, cpu_us}}`):
// the ratios the targets name, what recording a run costs, and a bound on a code node.
// Each difference is taken between two targets that differ in one thing only (recorded or not,
// one node or signup-5's seven), so no figure mixes recording into an engine estimate.

/** `results`: the measured targets; `codeNodes`: how many code nodes signup-5 has. */
export function signupFigures(results, { codeNodes }) {
  const byKey = Object.fromEntries(results.map((r) => [r.key, r.c10]));
  const ratio = (a, b, field) => (byKey[a] && byKey[b] ? byKey[a][field] / byKey[b][field] : undefined);
  const minus = (a, b) => (byKey[a] && byKey[b] ? byKey[a].cpu_us - byKey[b].cpu_us : undefined);
  const ratios = {
    signup5_cpu_vs_braw: ratio("signup5", "braw", "cpu_us"),
    signup5_rps_vs_braw: ratio("signup5", "braw", "rps"),
    unrecorded_cpu_vs_braw: ratio("signup5_unrecorded", "braw", "cpu_us"),
    one_node_cpu_vs_health: ratio("one_node", "health", "cpu_us"),
    one_node_unrecorded_cpu_vs_health: ratio("one_node_unrecorded", "health", "cpu_us"),
  };
  if (byKey.baseline_signup5) {
    ratios.signup5_cpu_vs_baseline = ratio("signup5", "baseline_signup5", "cpu_us");
    ratios.unrecorded_cpu_vs_baseline = ratio("signup5_unrecorded", "baseline_signup5_unrecorded", "cpu_us");
    ratios.one_node_cpu_vs_baseline = ratio("one_node", "baseline_one_node", "cpu_us");
  }
  // CPU µs a run's record costs (saving it in D1 included: locally Miniflare's simulator, in this process tree)
  const recording_us = { signup5: minus("signup5", "signup5_unrecorded"), one_node: minus("one_node", "one_node_unrecorded") };
  // an upper bound: the difference also holds signup-5's other nodes (the if, the two sets)
  const engine = minus("signup5_unrecorded", "one_node_unrecorded");
  const code_node_us_estimate = codeNodes > 0 && engine !== undefined ? engine / codeNodes : undefined;
  return { ratios, recording_us, code_node_us_estimate };
}
