/**
 * The local stand-in for Cloudflare's `* * * * *` cron trigger: at the start of each minute,
 * calls the executor's `scheduled` handler (the same code that runs on Cloudflare) with that
 * minute as its scheduledTime. Only minutes while the dev server runs are ticked; minutes
 * missed while it was stopped are not replayed.
 */
export interface ScheduledTarget {
  scheduled(options: { scheduledTime: Date; cron: string }): Promise<{ outcome: string }>;
}

const MINUTE_MS = 60_000;

export function startMinuteTick(worker: () => Promise<ScheduledTarget>, log: (line: string) => void, now: () => number = Date.now): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const next = Math.floor(now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    timer = setTimeout(() => void fire(next), next - now());
    timer.unref?.();
  };
  const fire = async (minute: number) => {
    try {
      const result = await (await worker()).scheduled({ scheduledTime: new Date(minute), cron: "* * * * *" });
      if (result.outcome !== "ok") log(`  ✗ scheduled handler for ${new Date(minute).toISOString()}: ${result.outcome}`);
    } catch (err) {
      if (!stopped) log(`  ✗ scheduled handler for ${new Date(minute).toISOString()}: ${(err as Error).message}`);
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
