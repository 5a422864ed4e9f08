/**
 * Credentials (DESIGN § Credentials). The executor stores what `acr creds push` sealed on the
 * user's machine and never receives or returns a value:
 *   GET    /credentials          names, descriptions, times, key ids; the executor's key id; a rotation under way
 *   PUT    /credentials/:name    {v, alg, kid, iv, encrypted, fingerprint, description?} → created | updated | unchanged
 *   DELETE /credentials/:name
 * Key rotation (`acr creds rotate-key`), see core/credentials/vault.ts:
 *   POST   /credential-rotation                {from_kid, to_kid} → every sealed record to re-seal
 *   PUT    /credential-rotation/staged/:name   the record re-sealed under to_kid
 *   POST   /credential-rotation/commit         {to_kid}, once the executor runs with the new key
 *   DELETE /credential-rotation                undo, while the executor still runs with the old key
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { readJson } from "../request";
import { credentialVault } from "../services/credentials";

export const credentials = new Hono<AppEnv>()
  .get("/", async (c) => c.json(await (await credentialVault(c.env)).list()))
  .put("/:name", async (c) => {
    const vault = await credentialVault(c.env);
    const result = await vault.put(c.req.param("name"), await readJson(c));
    return c.json(result, result.status === "created" ? 201 : 200);
  })
  .delete("/:name", async (c) => {
    const name = c.req.param("name");
    await (await credentialVault(c.env)).remove(name);
    return c.json({ name, deleted: true });
  });

export const credentialRotation = new Hono<AppEnv>()
  .post("/", async (c) => c.json(await (await credentialVault(c.env)).startRotation(await readJson(c))))
  .put("/staged/:name", async (c) => {
    const name = c.req.param("name");
    await (await credentialVault(c.env)).putStaged(name, await readJson(c));
    return c.json({ name, staged: true });
  })
  .post("/commit", async (c) => c.json(await (await credentialVault(c.env)).commitRotation(await readJson(c))))
  .delete("/", async (c) => {
    await (await credentialVault(c.env)).abortRotation();
    return c.json({ aborted: true });
  });
