export * from "./allow-list";
export * from "./run";
export * from "./fuel";
export * from "./output";
export * from "./module-interface";
export * from "./call";
export * from "./verify-metering";
