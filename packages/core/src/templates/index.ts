export * from "./parse";
export * from "./resolve";
