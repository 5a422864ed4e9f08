export * from "./api";
export * from "./cloudflare-api";
