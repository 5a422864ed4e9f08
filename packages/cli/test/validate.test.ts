/** `acr validate`: local checks through core's compiler, with the project's component contracts. */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { loadLocalComponents } from "../src/local-components";
import { acr } from "./helpers";

const project = mkdtempSync(join(tmpdir(), "acr-validate-"));
mkdirSync(join(project, "components/greeter"), { recursive: true });
writeFileSync(
  join(project, "components/greeter/contract.yaml"),
  "name: greeter\nversion: 0.1.0\ndescription: says hello\ninput_schema:\n  type: object\n  required: [name]\n",
);
mkdirSync(join(project, "workflows"));
writeFileSync(
  join(project, "workflows/good.yaml"),
  'name: hello\nflow:\n  - input >> ON_SUCCESS >> greet\nconfig:\n  greet:\n    component: greeter\n    name: "{{input.name}}"\n',
);
// line 4: misspelt relation; line 7: misspelt component
writeFileSync(
  join(project, "workflows/bad.yaml"),
  'name: hello\nflow:\n  - input >> ON_SUCCESS >> greet\n  - greet >> ON_SUCESS >> greet2\nconfig:\n  greet:\n    component: greeterr\n    name: "{{input.name}}"\n  greet2:\n    component: greeter\n    name: x\n',
);

describe("acr validate", () => {
  test("a valid file: a check mark, exit 0", async () => {
    const { code, stdout } = await acr(["validate", "workflows/good.yaml"], { cwd: project });
    assert.equal(code, EXIT.ok);
    assert.equal(stdout, "✓ workflows/good.yaml  hello: 1 node\n");
  });

  test("an invalid file: every issue with file:line:col, node, message and hint; exit 2", async () => {
    const { code, stdout } = await acr(["validate", "workflows/bad.yaml"], { cwd: project });
    assert.equal(code, EXIT.usage);
    assert.match(stdout, /^workflows\/bad\.yaml:4:\d+ {2}greet {2}.*unknown relation "ON_SUCESS".*ON_SUCCESS/m);
    assert.match(stdout, /^workflows\/bad\.yaml:7:\d+ {2}greet {2}.*unknown component "greeterr".*greeter/m);
    assert.match(stdout, /^ {2}hint: /m);
    assert.match(stdout, /2 problems in workflows\/bad\.yaml\n$/);
  });

  test("--json: one document listing the issues with positions", async () => {
    const { code, stdout } = await acr(["validate", "workflows/good.yaml", "workflows/bad.yaml", "--json"], { cwd: project });
    assert.equal(code, EXIT.usage);
    const body = JSON.parse(stdout);
    assert.equal(body.ok, false);
    assert.deepEqual(body.files.map((f: { ok: boolean }) => f.ok), [true, false]);
    assert.deepEqual(body.issues.map((i: { line: number }) => i.line), [4, 7]);
    assert.ok(body.issues.every((i: { file: string; node: string }) => i.file === "workflows/bad.yaml" && i.node === "greet"));
  });

  test("broken YAML is reported with its line, exit 2", async () => {
    writeFileSync(join(project, "workflows/broken.yaml"), "name: x\nflow: [\n  - oops\n");
    const { code, stdout } = await acr(["validate", "workflows/broken.yaml"], { cwd: project });
    assert.equal(code, EXIT.usage);
    assert.match(stdout, /^workflows\/broken\.yaml:\d+:\d+ {2}/m);
  });

  test("the builtins are known: `code` passes, a misspelling of it is caught", async () => {
    writeFileSync(
      join(project, "workflows/builtin.yaml"),
      'name: b\nflow:\n  - input >> ON_SUCCESS >> a\n  - a >> ON_SUCCESS >> b\nconfig:\n  a:\n    component: code\n    code: "return 1"\n  b:\n    component: cod\n',
    );
    const { code, stdout } = await acr(["validate", "workflows/builtin.yaml", "--offline"], { cwd: project });
    assert.equal(code, EXIT.usage);
    assert.match(stdout, /^workflows\/builtin\.yaml:10:\d+ {2}b {2}.*unknown component "cod".*did you mean code\?/m);
    assert.match(stdout, /1 problem in/);
  });

  test("a missing file exits 2", async () => {
    const { code, stderr } = await acr(["validate", "workflows/none.yaml"], { cwd: project });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /no such file: workflows\/none\.yaml/);
  });

  test("local components come from the nearest components/ folder; a broken contract is a warning", async () => {
    mkdirSync(join(project, "components/broken"), { recursive: true });
    writeFileSync(join(project, "components/broken/contract.yaml"), "name: [unclosed\n");
    const local = await loadLocalComponents(join(project, "workflows"));
    assert.ok((await local.resolver.list()).includes("greeter"));
    assert.equal((await local.resolver.resolve("greeter"))?.contract?.input_schema?.required?.toString(), "name");
    assert.equal(local.warnings.length, 1);
    assert.match(local.warnings[0], /skipped .*broken\/contract\.yaml/);
  });

  test("a literal parameter the component's input_schema refuses is an issue with line, column, node and the complaint", async () => {
    mkdirSync(join(project, "components/text_case"), { recursive: true });
    copyFileSync(new URL("../../../components/text_case/contract.yaml", import.meta.url), join(project, "components/text_case/contract.yaml"));
    writeFileSync(
      join(project, "workflows/shouting.yaml"),
      'name: shout\nflow:\n  - input >> ON_SUCCESS >> loud\nconfig:\n  loud:\n    component: text_case\n    text: "{{input.name}}"\n    case: shouting\n',
    );
    const { code, stdout } = await acr(["validate", "--offline", "workflows/shouting.yaml"], { cwd: project });
    assert.equal(code, EXIT.usage, stdout);
    assert.match(stdout, /^workflows\/shouting\.yaml:8:11 {2}loud {2}.*case: value does not match any of \["upper","lower","title","snake","kebab","camel"\]/m);
    assert.match(stdout, /hint: write one of "upper", "lower"/);
  });

  test("a YAML alias bomb is an issue with its line, not a bug in acr", async () => {
    const aliases = ["x: &x [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (const [name, prev] of [["y", "x"], ["z", "y"], ["w", "z"], ["v", "w"]]) aliases.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    writeFileSync(join(project, "workflows/bomb.yaml"), `name: bomb\nflow:\n  - input >> ON_SUCCESS >> a\nconfig:\n  a: {component: code, code: "return 1"}\n${aliases.join("\n")}\n`);
    const { code, stdout, stderr } = await acr(["validate", "--offline", "workflows/bomb.yaml"], { cwd: project });
    assert.equal(code, EXIT.usage, stdout + stderr);
    assert.match(stdout, /^workflows\/bomb\.yaml:8:\d+ .*YAML aliases expand too much/m);
    assert.doesNotMatch(stdout + stderr, /bug in acr/);
  });
});
