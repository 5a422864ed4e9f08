export * from "./needs";
export * from "./inject";
export * from "./errors";
export * from "./api";
export * from "./vault";
export * from "./secret-source";
export * from "./load";
