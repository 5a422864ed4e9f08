export * from "./claim-store";
export { CLAIM_STORE_CASES, type ClaimStoreCase } from "./claim-store-contract";
export * from "./cron";
export * from "./signature";
export * from "./replay";
export * from "./idempotency";
