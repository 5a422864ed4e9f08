export * from "./redactor";
export { secretForms, MIN_BASE64_CORE } from "./forms";
