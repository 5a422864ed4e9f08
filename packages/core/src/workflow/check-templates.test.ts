import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("templates", () => {
  //          ┌─► a ─► c
  //  input ──┤
  //          └─► b
  const flow = `name: t
flow:
  - "input >> ON_SUCCESS >> a >> ON_SUCCESS >> c"
  - "input >> ON_SUCCESS >> b"
config:
`;

  test("input, credential and upstream nodes may be read", async () => {
    assert.deepEqual(await issuesOf(`${flow}  a: {component: code, v: "{{input.x}}"}
  b: {component: code, v: "{{credential.api_key}}"}
  c: {component: code, v: {deep: ["{{a.data.items[0].id}}", "{{ input }}"]}}
`), []);
  });

  test("reading a node that is not upstream (a sibling) points at the template", async () => {
    const issues = await issuesOf(`${flow}  a: {component: code}
  b: {component: code}
  c:
    component: code
    text: "hello {{b.data.name}}"
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["template_not_upstream", "c", 10, 18]]);
    assert.equal(issues[0].message, 'node c: "{{b.data.name}}" reads node b, which is not upstream of c, so it may not have run');
    assert.match(issues[0].hint!, /"b >> ON_SUCCESS >> c"/);
  });

  test("reading a downstream node, or the node itself", async () => {
    const issues = await issuesOf(`${flow}  a: {component: code, v: "{{c.data}}", w: "{{a.data}}"}
  b: {component: code}
  c: {component: code}
`);
    assert.deepEqual(issues.map((i) => i.code), ["template_not_upstream", "template_not_upstream"]);
    assert.match(issues[1].message, /reads the node's own output/);
  });

  test("an unknown root gets did-you-mean", async () => {
    const issues = await issuesOf(`${flow}  a: {component: code, v: "{{inptu.x}}"}
  b: {component: code}
  c: {component: code, v: "{{aa.data}}"}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["template_unknown_node", 6], ["template_unknown_node", 8]]);
    assert.match(issues[0].message, /"\{\{inptu.x\}\}" reads "inptu", which is not input, credential or a node — did you mean input\?/);
    assert.equal(issues[0].hint, "write {{input.x}}");
  });

  test("syntax errors, and a credential written with a path", async () => {
    const issues = await issuesOf(`${flow}  a:
    component: code
    v: "{{input..x}}"
  b: {component: code, v: "{{credential.a.b}}"}
  c: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["template_syntax", 8], ["template_syntax", 9]]);
    assert.match(issues[0].message, /expected a key after "\."/);
    assert.equal(issues[1].hint, "write a credential as {{credential.name}}");
  });

  test("limits and egress are not parameters, so templates there are not read", async () => {
    assert.deepEqual(await issuesOf(`${flow}  a: {component: code, egress: ["{{nowhere}}"]}
  b: {component: code}
  c: {component: code}
`), []);
  });
});
