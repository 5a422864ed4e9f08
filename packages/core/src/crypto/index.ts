export * from "./key";
export * from "./credential";
export { bytesToBase64, base64ToBytes, bytesToBase64Url } from "./base64";
export { bytesToHex, sha256Hex } from "./digest";
