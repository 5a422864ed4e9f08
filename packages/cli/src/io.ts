/**
 * Everything the CLI touches outside itself, passed in so commands run in-process in tests
 * (no spawning, no real terminal, no real network unless the test wants it).
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** colors are used only when stdout is a TTY and NO_COLOR is unset */
  stdoutIsTTY: boolean;
  fetch: typeof fetch;
  /** resolves on the first Ctrl-C / SIGTERM (used by `acr dev`) */
  waitForInterrupt(): Promise<string>;
}

/**
 * A reader that closed the pipe early (`acr --help | head`) is not an error: stop quietly, as
 * other tools do, instead of crashing on the unhandled EPIPE of the next write.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount("error") > 0) return;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

export function nodeIO(): CliIO {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      if (process.stdin.isTTY) return "";
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    fetch: globalThis.fetch,
    waitForInterrupt: () =>
      new Promise((resolve) => {
        // Miniflare's exit hook listens for SIGINT/SIGTERM and exits 130/143 at once, before
        // the server is stopped; the caller of waitForInterrupt owns shutdown, so take those out.
        // (Its "exit" listener stays: workerd is still killed if the process dies some other way.)
        process.removeAllListeners("SIGINT");
        process.removeAllListeners("SIGTERM");
        const done = (signal: string) => {
          process.off("SIGINT", onInt);
          process.off("SIGTERM", onTerm);
          // A second Ctrl-C while shutting down means "now": exit like a killed process.
          process.once("SIGINT", () => process.exit(130));
          resolve(signal);
        };
        const onInt = () => done("SIGINT");
        const onTerm = () => done("SIGTERM");
        process.once("SIGINT", onInt);
        process.once("SIGTERM", onTerm);
      }),
  };
}
