/** The CLI's version: the `arcrun` package's (bundled from package.json at build time). */
import packageJson from "../package.json" with { type: "json" };

export const VERSION: string = packageJson.version;
