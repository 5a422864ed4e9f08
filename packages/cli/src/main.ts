/** Entry of the `acr` bundle (bin/acr.mjs imports dist/acr.mjs, built from this file). */
import { runCli } from "./cli";
import { nodeIO } from "./io";

// exitCode rather than exit(): a big --json document piped to another program is flushed first.
process.exitCode = await runCli(process.argv.slice(2), nodeIO());
