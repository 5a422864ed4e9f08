/**
 * `acr parts scaffold <name>`: a new component that builds and passes its features as written,
 * so the first edit starts from green. The three files mirror components/text_case.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { CliError, EXIT } from "../exit";

const NAME = /^[a-z][a-z0-9_]*$/;

export function scaffoldComponent(componentsDir: string, name: string, cwd: string): string[] {
  if (!NAME.test(name)) {
    throw new CliError(`"${name}" is not a component name`, {
      code: "invalid_name",
      hint: "use lower case letters, digits and underscores, starting with a letter (e.g. slugify)",
    });
  }
  const dir = join(componentsDir, name);
  if (existsSync(dir)) {
    throw new CliError(`${relative(cwd, dir) || dir} already exists`, {
      code: "component_exists",
      hint: "pick another name, or remove the folder first",
    });
  }
  const files: Record<string, string> = {
    "contract.yaml": contract(name),
    "assembly/index.ts": source(name),
    [`features/${name}.feature`]: feature(name),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return Object.keys(files).map((path) => relative(cwd, join(dir, path)));
}

const contract = (name: string) => `name: ${name}
version: 0.1.0
description: Repeats a text a number of times (replace with what ${name} does).
author: you
category: text
input_schema:
  type: object
  required: [text]
  properties:
    text: {type: string, description: The text to repeat}
    times: {type: integer, minimum: 1, maximum: 100, default: 2, description: How many times}
    separator: {type: string, default: " ", description: Put between the copies}
  additionalProperties: false
output_schema:
  type: object
  properties:
    text: {type: string}
    length: {type: integer}
credentials_required: []
config_example:
  text: "{{input.text}}"
  times: 3
no_network_syscall: true
limits:
  timeout_ms: 1000
`;

const source = (name: string) => `// ${name}: one function from the node's parameters (checked against input_schema before
// this runs) to its output. See packages/component-sdk/README.md for the JSON helpers.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const text = input.string("text");
  const times = <i32>input.integerOr("times", 2);
  const separator = input.stringOr("separator", " ");
  if (text.length == 0) return fail("empty_text", "text is empty: give at least one character");
  const copies: string[] = [];
  for (let i = 0; i < times; i++) copies.push(text);
  const joined = copies.join(separator);
  return JSON.obj().set("text", JSON.str(joined)).set("length", JSON.int(joined.length));
});
`;

const feature = (name: string) => `Feature: ${name}
  Repeats a text.

  Scenario: the default repeats twice
    Given the parameter "text" is "ab"
    When the component runs
    Then it succeeds
    And the output is:
      """
      {"text": "ab ab", "length": 5}
      """

  Scenario: times and separator
    Given the input:
      """
      {"text": "é", "times": 3, "separator": "-"}
      """
    When the component runs
    Then the output field "text" is "é-é-é"

  Scenario: an empty text is an error
    Given the parameter "text" is ""
    When the component runs
    Then it fails with code "empty_text"
    And the error message contains "empty"

  Scenario: times is checked against the contract before the module runs
    Given the input:
      """
      {"text": "a", "times": 0}
      """
    When the component runs
    Then it fails with code "invalid_input"
    And the error message contains "times"
`;
