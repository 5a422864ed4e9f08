/**
 * The executor's credential endpoints, seen from the CLI. Only sealed records and keyed
 * fingerprints go over the wire; answers are checked against the shared schemas.
 */
import {
  CredentialListSchema, PutResultSchema, RotationCommitResultSchema, RotationStartResultSchema,
  type CredentialList, type CredentialUpload, type PutResult, type RotationCommitResult, type RotationStartResult,
} from "@arcrun/core/credentials/api";
import type { z } from "@arcrun/core/schema";
import type { ArcrunClient } from "../client";
import { expectAnswer } from "../answer";

export interface CredentialsApi {
  list(): Promise<CredentialList>;
  put(name: string, upload: CredentialUpload): Promise<PutResult>;
  remove(name: string): Promise<void>;
  startRotation(fromKid: string, toKid: string): Promise<RotationStartResult>;
  putStaged(name: string, upload: CredentialUpload): Promise<void>;
  commitRotation(toKid: string): Promise<RotationCommitResult>;
  abortRotation(): Promise<void>;
}

export function credentialsApi(client: ArcrunClient): CredentialsApi {
  const path = (name: string) => `/credentials/${encodeURIComponent(name)}`;
  return {
    list: async () => expect(CredentialListSchema, await client.request("GET", "/credentials"), client.url),
    put: async (name, upload) => expect(PutResultSchema, await client.request("PUT", path(name), { json: upload }), client.url),
    remove: async (name) => void (await client.request("DELETE", path(name))),
    startRotation: async (from_kid, to_kid) =>
      expect(RotationStartResultSchema, await client.request("POST", "/credential-rotation", { json: { from_kid, to_kid } }), client.url),
    putStaged: async (name, upload) => void (await client.request("PUT", `/credential-rotation/staged/${encodeURIComponent(name)}`, { json: upload })),
    commitRotation: async (to_kid) =>
      expect(RotationCommitResultSchema, await client.request("POST", "/credential-rotation/commit", { json: { to_kid } }), client.url),
    abortRotation: async () => void (await client.request("DELETE", "/credential-rotation")),
  };
}

const expect = <S extends z.ZodType>(schema: S, body: unknown, url: string): z.infer<S> => expectAnswer(schema, body, url, "credentials document");
