// hash: the SHA-256, SHA-1 or MD5 digest of a text (as UTF-8), in hex or Base64.
import { run, JSON } from "@arcrun/component-sdk/assembly";
import { digest, encodeBytes } from "@arcrun/component-sdk/assembly/digest";

run((input: JSON.Obj): JSON.Value => {
  const bytes = Uint8Array.wrap(String.UTF8.encode(input.string("text")));
  return JSON.str(encodeBytes(digest(input.stringOr("algorithm", "sha256"), bytes), input.stringOr("encoding", "hex")));
});
