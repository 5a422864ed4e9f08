/**
 * Server answers checked against core's schemas (the shapes the executor builds them from):
 * a malformed answer is a clear `bad_response` error naming the server, never a crash later.
 */
import type { z } from "@arcrun/core/schema";
import { CliError } from "./exit";

export function expectAnswer<S extends z.ZodType>(schema: S, body: unknown, url: string, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(`the server at ${url} answered with an unexpected ${what}`, {
    code: "bad_response",
    hint: "is the server an arcrun executor of the same version as this acr? (`acr --version`)",
    details: { field: issue.path.join(".") || "(answer)", problem: issue.message },
  });
}
