// Gherkin feature runner for components (`npm test`, `acr parts test`, registry acceptance).
// Not exported from the core index: the executor bundle has no use for a Gherkin parser.
export { parseFeature, type FeatureSource, type Scenario, type ScenarioStep } from "./parse";
export { runFeatures, runScenario, type FeatureRunSummary, type ScenarioResult, type ScenarioStatus } from "./run";
export { STEPS, deepEqual } from "./steps";
