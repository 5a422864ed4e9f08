/**
 * Component contract (`contract.yaml`). The schema lives in contract-schema.ts; `Contract` is
 * the type inferred from it.
 */
export {
  ContractSchema,
  CredentialRequirementSchema,
  parseContract,
  COMPONENT_NAME,
  SEMVER,
  type Contract,
  type CredentialRequirement,
} from "./contract-schema";
