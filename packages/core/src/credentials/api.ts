/**
 * The credential shapes shared by the executor (routes, KV) and the CLI, each defined once.
 * The executor never receives a plaintext value: uploads are sealed records plus a keyed
 * fingerprint (see crypto/credential.ts).
 */
import { z } from "../schema";
import { EncryptedCredentialSchema } from "../crypto/credential";

/** KV key prefixes in CREDENTIALS_KV. */
export const CREDENTIAL_PREFIX = "cred:";
/** records re-sealed under the next key while a rotation is under way */
export const STAGED_CREDENTIAL_PREFIX = "cred-next:";
/** the marker of a rotation under way */
export const ROTATION_KEY = "credmeta:rotation";

export const MAX_DESCRIPTION = 500;

/** `PUT /credentials/:name` and `PUT /credentials/:name/staged` body. */
export const CredentialUploadSchema = EncryptedCredentialSchema.extend({
  /** fingerprintCredential(key, name, value): lets the executor say "unchanged" without the value */
  fingerprint: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "fingerprint must be 43 base64url characters"),
  description: z.string().max(MAX_DESCRIPTION).optional(),
}).strict(); // a stray `value` field is refused, never silently dropped or stored
export type CredentialUpload = z.infer<typeof CredentialUploadSchema>;

/** The value of `cred:{name}` (and `cred-next:{name}`) in CREDENTIALS_KV. */
export const StoredCredentialSchema = CredentialUploadSchema.extend({
  created_at: z.string(),
  updated_at: z.string(),
});
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

/** One entry of `GET /credentials`: never a value, ciphertext or fingerprint. */
export const CredentialSummarySchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  /** id of the key that sealed it; differs from `key_id` of the list when it no longer decrypts */
  kid: z.string(),
});
export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;

export const RotationSchema = z.object({
  from_kid: z.string(),
  to_kid: z.string(),
  started_at: z.string(),
});
export type Rotation = z.infer<typeof RotationSchema>;

/** `GET /credentials` */
export const CredentialListSchema = z.object({
  credentials: z.array(CredentialSummarySchema),
  /** id of the executor's own key (null when it has none configured) */
  key_id: z.string().nullable(),
  rotation: RotationSchema.nullable(),
});
export type CredentialList = z.infer<typeof CredentialListSchema>;

export const PutResultSchema = z.object({
  name: z.string(),
  status: z.enum(["created", "updated", "unchanged"]),
  updated_at: z.string(),
});
export type PutResult = z.infer<typeof PutResultSchema>;

/** `POST /credentials/rotation` body, and its answer: every sealed record to re-seal. */
export const RotationStartSchema = z.object({ from_kid: z.string().min(1), to_kid: z.string().min(1) });
export const RotationStartResultSchema = z.object({
  rotation: RotationSchema,
  records: z.array(z.object({
    name: z.string(),
    record: StoredCredentialSchema,
    /** true when a record under `to_kid` is already staged for it (an interrupted rotation) */
    staged: z.boolean(),
  })),
});
export type RotationStartResult = z.infer<typeof RotationStartResultSchema>;

/** `POST /credentials/rotation/commit` answer */
export const RotationCommitResultSchema = z.object({ key_id: z.string(), promoted: z.array(z.string()) });
export type RotationCommitResult = z.infer<typeof RotationCommitResultSchema>;
