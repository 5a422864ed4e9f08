/**
 * Keeps workerd up under `acr dev`: once a second a TCP connect to its port. A busy workerd
 * (a runaway node) still accepts connections, so only a refused or reset connection counts
 * as dead — two in a row, then the launcher logs it and calls `restart` (same port, same
 * state folder). A restart that fails is tried again on the next tick; `maxFailures` failed
 * restarts within `windowMs` give up: `failed` resolves and `onGiveUp` runs.
 *
 *   const s = superviseWorkerd({ host, port, log, restart, onGiveUp });
 *   s.stop();   // before disposing workerd on purpose
 */
import { connect } from "node:net";

export interface SuperviseOptions {
  host: string;
  port: number;
  log: (line: string) => void;
  restart: () => Promise<void>;
  onGiveUp: (error: Error) => void;
  /** default 1000 */
  intervalMs?: number;
  /** default 3 failed restarts … */
  maxFailures?: number;
  /** … within 60 000 ms */
  windowMs?: number;
}

export interface Supervisor {
  stop(): void;
  failed: Promise<Error>;
  /** how many times workerd was started again */
  readonly restarts: number;
}

export function superviseWorkerd(options: SuperviseOptions): Supervisor {
  const interval = options.intervalMs ?? 1000;
  const maxFailures = options.maxFailures ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  let giveUp!: (error: Error) => void;
  const failed = new Promise<Error>((resolve) => (giveUp = resolve));
  let stopped = false;
  let refusedInARow = 0;
  let restarting = false;
  const failures: number[] = [];
  const state = { restarts: 0 };

  const tick = async () => {
    if (stopped || restarting) return;
    if (await accepts(options.host, options.port)) {
      refusedInARow = 0;
      return;
    }
    if (stopped || ++refusedInARow < 2) return;
    restarting = true;
    options.log(`  ✗ workerd stopped answering on ${options.host}:${options.port} (the process died?); starting it again with the same state`);
    try {
      await options.restart();
      if (stopped) return;
      state.restarts++;
      refusedInARow = 0;
      options.log(`  ● workerd started again on ${options.host}:${options.port}`);
    } catch (err) {
      const now = Date.now();
      failures.push(now);
      while (failures.length && failures[0] < now - windowMs) failures.shift();
      options.log(`  ✗ could not start workerd again: ${(err as Error).message}`);
      if (failures.length >= maxFailures) {
        const error = new Error(`workerd could not be started again (${failures.length} failures within ${Math.round(windowMs / 1000)} s)`);
        stop();
        options.log(`  ✗ giving up: ${error.message}`);
        giveUp(error);
        options.onGiveUp(error);
      }
    } finally {
      restarting = false;
    }
  };
  const timer = setInterval(() => void tick(), interval);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return {
    stop,
    failed,
    get restarts() {
      return state.restarts;
    },
  };
}

/** true when something accepts a TCP connection on the port within 2 s (or is too busy to say: also true) */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(2000, () => done(true));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
