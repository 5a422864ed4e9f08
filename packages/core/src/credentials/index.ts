export * from "./needs";
export * from "./inject";
export * from "./errors";
export * from "./api";
