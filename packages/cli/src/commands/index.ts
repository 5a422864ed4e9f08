/**
 * Every `acr` command, one line each: a module whose default export registers the command
 * (see RegisterCommand in ../context). Help lists them alphabetically.
 */
export { default as dev } from "./dev";
export { default as run } from "./run";
export { default as validate } from "./validate";
export { default as push } from "./push";
export { default as list } from "./list";
export { default as logs } from "./logs";
export { default as init } from "./init";
export { default as creds } from "./creds";
export { default as parts } from "./parts";
export { default as recipe } from "./recipe";
export { default as test } from "./test";
export { default as deploy } from "./deploy";
export { default as destroy } from "./destroy";
export { default as keys } from "./keys";
export { default as tenant } from "./tenant";
