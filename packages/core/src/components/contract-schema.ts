/**
 * The `contract.yaml` format of a component (DESIGN § Components), defined once. The `Contract`
 * type is inferred from it; the build, the tests, the executor and the CLI all parse with it.
 */
import { closest, arcrunError } from "../errors";
import { z } from "../schema";
import { LimitsSchema } from "../workflow/schema";

export const COMPONENT_NAME = /^[a-z][a-z0-9_]*$/;
/** Semantic Versioning 2.0.0 (https://semver.org), without a leading "v". */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A JSON Schema document: an object (the validator checks keywords when it runs). */
const JsonSchemaObject = z.record(z.string(), z.unknown());

export const CredentialRequirementSchema = z
  .object({
    /** name of the stored credential (`acr creds` key) */
    key: z.string().regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, _ . -"),
    /** parameter the decrypted value is injected as */
    inject_as: z.string().min(1),
    description: z.string().optional(),
  })
  .strict();

export const ContractSchema = z
  .object({
    name: z.string().regex(COMPONENT_NAME, "use lowercase letters, digits and _, starting with a letter"),
    version: z.string().regex(SEMVER, "use semantic versioning, e.g. 1.0.0"),
    description: z.string().min(1),
    author: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    input_schema: JsonSchemaObject.optional(),
    output_schema: JsonSchemaObject.optional(),
    credentials_required: z.array(CredentialRequirementSchema).optional(),
    config_example: z.record(z.string(), z.unknown()).optional(),
    no_network_syscall: z.boolean().optional(),
    /** default limits for nodes using this component; `memory_pages` is fixed at build time */
    limits: LimitsSchema.optional(),
    /**
     * How `acr parts build` makes the module with a toolchain of the author's choice: `command` runs
     * in the component folder (sh -c) and writes `output` (a path inside the folder), which the
     * build then meters like every other module. Build-time only: the server never runs it.
     */
    build: z
      .object({
        command: z.string().min(1),
        output: z
          .string()
          .min(1)
          .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "a path inside the component folder, e.g. target/wasm32-wasi/release/name.wasm")
          .default("module.wasm"),
      })
      .strict()
      .optional(),
    /** hosts a recipe or component may reach through the host */
    egress: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .superRefine((contract, ctx) => {
    const schema = contract.input_schema;
    if (!schema) return;
    if (schema.type !== undefined && schema.type !== "object") {
      ctx.addIssue({ code: "custom", path: ["input_schema", "type"], message: 'the parameters are an object: use type: object' });
    }
    const required = schema.required;
    if (required === undefined) return;
    if (!Array.isArray(required) || !required.every((k) => typeof k === "string")) {
      ctx.addIssue({ code: "custom", path: ["input_schema", "required"], message: "required must be a list of parameter names" });
      return;
    }
    const properties = schema.properties as Record<string, unknown> | undefined;
    if (!properties) return;
    for (const key of required) {
      if (!(key in properties)) {
        ctx.addIssue({ code: "custom", path: ["input_schema", "required"], message: `"${key}" is required but not declared in properties` });
      }
    }
  });

export type Contract = z.infer<typeof ContractSchema>;
export type CredentialRequirement = z.infer<typeof CredentialRequirementSchema>;

const CONTRACT_KEYS = Object.keys(ContractSchema.shape);

/**
 * Parses a contract (already read from YAML or JSON), or throws `invalid_contract` listing every
 * problem with its path. `source` names the file in the message.
 */
export function parseContract(value: unknown, source = "contract.yaml"): Contract {
  const result = ContractSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join(".") || "(top level)";
    if (issue.code === "unrecognized_keys") {
      return issue.keys
        .map((key) => {
          const near = closest(key, CONTRACT_KEYS);
          return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ""}`;
        })
        .join("; ");
    }
    return `${path}: ${issue.message}`;
  });
  throw arcrunError("invalid_contract", `Invalid contract ${source}: ${problems.join("; ")}`, {
    hint: "Fix the listed fields; components/README.md describes every contract field.",
    details: { file: source, problems },
  });
}
