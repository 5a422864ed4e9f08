// Gherkin text → runnable scenarios (pickles), with Scenario Outline rows expanded.
// Platform-free: @cucumber/gherkin parses strings, no files are read here.
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";
import { arcrunError } from "../errors";

export interface FeatureSource {
  /** where the text came from, e.g. "components/base64/features/encode.feature" */
  uri: string;
  text: string;
}

export interface ScenarioStep {
  text: string;
  /** the docstring below the step, if any */
  docString?: string;
  /** the data table below the step, rows of cells */
  dataTable?: string[][];
  line: number;
}

export interface Scenario {
  feature: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  steps: ScenarioStep[];
}

/** Parses one feature file into its scenarios; throws `invalid_feature` naming the line. */
export function parseFeature(source: FeatureSource): Scenario[] {
  const newId = IdGenerator.incrementing();
  let document;
  try {
    document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(source.text);
  } catch (error) {
    throw arcrunError("invalid_feature", `${source.uri}: ${(error as Error).message.split("\n")[0]}`, {
      hint: "Check the Gherkin syntax: Feature, Scenario (Outline) + Examples, Given/When/Then steps, \"\"\" docstrings.",
      details: { file: source.uri },
    });
  }
  if (!document.feature) return [];
  const lineOf = new Map<string, number>();
  const index = (nodes: readonly { id: string; location: { line: number } }[]) => nodes.forEach((n) => lineOf.set(n.id, n.location.line));
  for (const child of document.feature.children) {
    const scenarios = child.scenario ? [child.scenario] : (child.rule?.children ?? []).flatMap((c) => (c.scenario ? [c.scenario] : []));
    for (const scenario of scenarios) {
      lineOf.set(scenario.id, scenario.location.line);
      index(scenario.steps);
      for (const examples of scenario.examples) index(examples.tableBody);
    }
    if (child.background) index(child.background.steps);
  }
  const pickles = compile({ ...document, uri: source.uri }, source.uri, newId);
  return pickles.map((pickle) => ({
    feature: document.feature!.name,
    name: pickle.name,
    uri: source.uri,
    // an outline row points at its Examples line, a plain scenario at its Scenario line
    line: lineOf.get(pickle.astNodeIds[pickle.astNodeIds.length - 1]) ?? 0,
    tags: pickle.tags.map((t) => t.name),
    steps: pickle.steps.map((step) => ({
      text: step.text,
      docString: step.argument?.docString?.content,
      dataTable: step.argument?.dataTable?.rows.map((row) => row.cells.map((cell) => cell.value)),
      line: lineOf.get(step.astNodeIds[0]) ?? 0,
    })),
  }));
}
