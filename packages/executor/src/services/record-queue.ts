/**
 * The recording queue: finished runs of sync triggers are collected per isolate and saved many
 * at a time (`D1RunStore.saveMany`: one D1 batch, one round trip), after the response, so a
 * request pays no D1 round trip of its own. A batch is flushed when it holds `maxRuns` runs or
 * `maxDelayMs` after its first run, whichever comes first (`busyDelayMs` after it while the
 * isolate is busy: the batch before held a quarter of `maxRuns` or more).
 *
 * Nothing is lost while the isolate lives: a batch is flushed by the request that filled it or
 * by the timer of the request that opened it, and that request's `waitUntil` stays open until
 * the D1 batch is written. No request waits on a promise another request settles: workerd
 * cancels such continuations once the creating request has answered ("A promise was resolved
 * or rejected from a different request context…"), so a run that merely joined a batch lets
 * its request finish at once.
 * A batch that fails is retried run by run, so one bad record never takes the others with it;
 * a run that still fails is logged (never its content: records can be large).
 */
import type { RunRecord, RunStore } from "@arcrun/core";

export interface RecordQueueOptions {
  /** flush when the batch holds this many runs (default 96) */
  maxRuns?: number;
  /** flush this long after the batch's first run (default 20 ms) */
  maxDelayMs?: number;
  /** … or this long while the isolate is busy: the last batch held a quarter of maxRuns or more (default 50 ms) */
  busyDelayMs?: number;
}

/** What the queue keeps of a run until its batch is saved (and names in a log line if it fails). */
export interface QueuedRun {
  run_id: string;
  workflow: string;
}

/**
 * A store that saves several runs at once (D1RunStore); others are saved one by one. With
 * `encode` the queue keeps each run as the store will write it (D1RunStore: its row as text),
 * made when the run is queued: a few strings cost the garbage collector less than a record's
 * object tree kept alive for a batch's lifetime, and the tree dies young.
 */
type BulkStore = RunStore & {
  saveMany?: (runs: RunRecord[]) => Promise<void>;
  encode?: (run: RunRecord) => QueuedRun;
  saveEncoded?: (runs: QueuedRun[]) => Promise<void>;
};

interface Pending {
  runs: QueuedRun[];
}

/**
 * Each flush costs ~0.8 ms of CPU in Miniflare's D1 simulator whatever it holds, so a flush
 * carries as many runs as one statement takes (D1RunStore.MAX_RUNS_PER_STATEMENT): at 64 the
 * fixed part was ~13 µs a run, at 96 ~8.
 */
export const DEFAULT_MAX_RUNS = 96;
export const DEFAULT_MAX_DELAY_MS = 20;
/**
 * Each flush pays one D1 round trip (locally ~0.8 ms of CPU in Miniflare's simulator, as much
 * as a few runs' rows), so a busy isolate gathers more runs per flush: ~50 instead of ~20 at
 * 1,000 runs/s. A quiet one (a person, a test: batches of one or two) keeps the short window.
 */
export const DEFAULT_BUSY_DELAY_MS = 50;

export class RecordQueue {
  private pending: Pending | undefined;
  private readonly maxRuns: number;
  private readonly maxDelayMs: number;
  private readonly busyDelayMs: number;
  /** the last batch held maxRuns / 4 runs or more */
  private busy = false;
  /** the store encodes runs (D1RunStore): the queue holds its encodings, not the records */
  private readonly encodes: boolean;

  constructor(
    private readonly store: BulkStore,
    options: RecordQueueOptions = {},
  ) {
    this.maxRuns = Math.max(1, options.maxRuns ?? DEFAULT_MAX_RUNS);
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
    this.busyDelayMs = Math.max(this.maxDelayMs, options.busyDelayMs ?? DEFAULT_BUSY_DELAY_MS);
    this.encodes = Boolean(store.encode && store.saveEncoded);
  }

  /**
   * Queues a finished run. A promise comes back when this request is responsible for a flush —
   * the batch it filled, or the batch it opened (its timer): hand it to the request's `waitUntil`;
   * it settles (never rejects) once that flush is done. A run that only joined a batch gets
   * nothing to wait for (no `waitUntil` to register: most runs under load).
   */
  add(run: RunRecord): Promise<void> | undefined {
    let batch = this.pending;
    const opened = !batch;
    if (!batch) batch = this.pending = { runs: [] };
    batch.runs.push(this.encodes ? this.store.encode!(run) : run);
    if (batch.runs.length >= this.maxRuns) {
      this.pending = undefined;
      return this.flush(batch);
    }
    if (!opened) return undefined;
    // the timer is this request's own: it fires in its context, which waitUntil keeps alive
    const open = batch;
    return new Promise<void>((resolve) => setTimeout(resolve, this.busy ? this.busyDelayMs : this.maxDelayMs)).then(() => {
      if (this.pending !== open) return; // flushed by size meanwhile, by the request that filled it
      this.pending = undefined;
      return this.flush(open);
    });
  }

  /** Runs waiting for their batch (for tests and diagnostics). */
  get waiting(): number {
    return this.pending?.runs.length ?? 0;
  }

  private async flush(batch: Pending): Promise<void> {
    this.busy = batch.runs.length * 4 >= this.maxRuns;
    try {
      await this.saveAll(batch.runs);
    } catch (err) {
      // one bad record fails the whole transaction: save the others one by one
      console.error(`recording: a batch of ${batch.runs.length} runs could not be saved (${describe(err)}); saving them one by one`);
      for (const run of batch.runs) {
        await this.saveAll([run]).catch((e) => console.error(`run ${run.run_id} (${run.workflow}) could not be saved: ${describe(e)}`));
      }
    }
  }

  /** `runs` are encoded exactly when the store encodes (add). */
  private saveAll(runs: QueuedRun[]): Promise<void> {
    if (this.encodes) return this.store.saveEncoded!(runs);
    const records = runs as RunRecord[];
    if (this.store.saveMany) return this.store.saveMany(records);
    return Promise.all(records.map((run) => this.store.save(run))).then(() => undefined);
  }
}

/** One queue per store object and isolate (the executor keeps one D1RunStore per database). */
const queues = new WeakMap<RunStore, RecordQueue>();

export function recordQueueFor(store: RunStore): RecordQueue {
  let queue = queues.get(store);
  if (!queue) queues.set(store, (queue = new RecordQueue(store)));
  return queue;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
