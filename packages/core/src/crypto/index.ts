export * from "./key";
export * from "./credential";
export { bytesToBase64, base64ToBytes, bytesToBase64Url, utf8 } from "./base64";
export { bytesToHex, secretEquals, sha256Hex, timingSafeEqual } from "./digest";
