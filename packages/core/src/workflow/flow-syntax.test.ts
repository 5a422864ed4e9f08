import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseFlowLine, type FlowEdge } from "./flow-syntax";

const triples = (line: string) => {
  const result = parseFlowLine(line);
  assert.ok(result.ok, `expected "${line}" to parse: ${result.ok ? "" : result.message}`);
  return result.edges.map((e: FlowEdge) => `${e.from} ${e.relation} ${e.to}`);
};

const failure = (line: string) => {
  const result = parseFlowLine(line);
  assert.ok(!result.ok, `expected "${line}" to be rejected`);
  return result;
};

describe("parseFlowLine", () => {
  //  a ──ON_SUCCESS──► b
  test("triplet form", () => {
    assert.deepEqual(triples("a >> ON_SUCCESS >> b"), ["a ON_SUCCESS b"]);
  });

  //  a ──ON_SUCCESS──► b
  test("openCypher path form", () => {
    assert.deepEqual(triples("(a)-[:ON_SUCCESS]->(b)"), ["a ON_SUCCESS b"]);
  });

  //  a ──R1──► b ──R2──► c
  test("chains in both forms", () => {
    assert.deepEqual(triples("a >> ON_SUCCESS >> b >> ON_FAILURE >> c"), ["a ON_SUCCESS b", "b ON_FAILURE c"]);
    assert.deepEqual(triples("(a)-[:ON_SUCCESS]->(b)-[:ON_FAILURE]->(c)"), ["a ON_SUCCESS b", "b ON_FAILURE c"]);
  });

  //  a ──ON_SUCCESS──► b ──ON_TRUE──► c ──ALWAYS──► d
  test("both forms mixed on one line", () => {
    assert.deepEqual(triples("(a)-[:ON_SUCCESS]->(b) >> ON_TRUE >> c -[:ALWAYS]-> (d)"), ["a ON_SUCCESS b", "b ON_TRUE c", "c ALWAYS d"]);
  });

  test("whitespace between tokens is ignored, and is optional", () => {
    assert.deepEqual(triples("  a>>ON_SUCCESS>>b  "), ["a ON_SUCCESS b"]);
    assert.deepEqual(triples("( a ) - [ : ON_SUCCESS ] -> ( b )"), ["a ON_SUCCESS b"]);
    assert.deepEqual(triples("(a)-[ON_SUCCESS]->(b)"), ["a ON_SUCCESS b"], "the colon may be left out");
  });

  test("offsets point at each part", () => {
    const result = parseFlowLine("check >> ON_TRUE >> notify");
    assert.ok(result.ok);
    assert.deepEqual(result.edges[0], { from: "check", relation: "ON_TRUE", to: "notify", fromOffset: 0, relationOffset: 9, toOffset: 20 });
    const cypher = parseFlowLine("(a)-[:ON_SUCCESS]->(b)");
    assert.ok(cypher.ok);
    assert.deepEqual([cypher.edges[0].fromOffset, cypher.edges[0].relationOffset, cypher.edges[0].toOffset], [1, 6, 20]);
  });

  describe("malformed lines name the column where reading stopped", () => {
    test("missing relation", () => {
      //               0123456
      const result = failure("a >> b");
      assert.equal(result.offset, 6);
      assert.match(result.message, /expected ">>" after relation b, found the end of the line/);
    });

    test("unclosed parenthesis", () => {
      const result = failure("(a)-[:ON_SUCCESS]->(b");
      assert.equal(result.offset, 21);
      assert.match(result.message, /expected "\)" after "\(b"/);
    });

    test("missing arrow head", () => {
      const result = failure("(a)-[:ON_SUCCESS]-(b)");
      assert.equal(result.offset, 17);
      assert.match(result.message, /"->"/);
    });

    test("single arrow instead of >>", () => {
      const result = failure("a > ON_SUCCESS > b");
      assert.equal(result.offset, 2);
      assert.match(result.message, /after node "a"/);
    });

    test("left-pointing arrow", () => {
      const result = failure("(b)<-[:ON_SUCCESS]-(a)");
      assert.equal(result.offset, 3);
      assert.match(result.message, /left to right/);
    });

    test("a node alone is not an edge", () => {
      const result = failure("check");
      assert.match(result.message, /"check" alone is not an edge/);
    });

    test("empty line", () => {
      assert.equal(failure("   ").message, "empty flow line");
    });

    test("stray characters in a name", () => {
      // "-" starts an openCypher arrow, so reading stops where "[" should follow it
      const result = failure("my-node >> ON_SUCCESS >> b");
      assert.equal(result.offset, 3);
      assert.match(result.message, /expected "\[" as in "-\[:ON_SUCCESS\]->", found "node >>/);
    });
  });
});
