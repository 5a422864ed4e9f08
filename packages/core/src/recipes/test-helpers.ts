/** Fakes for recipe tests: a fetch that records requests and answers from a script, and a clock. */
import type { RunRecipeOptions } from "./run";

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  form?: FormData;
}

export type Answer = Response | ((req: Recorded) => Response | Promise<Response>);

export function fakeFetch(answers: Answer[] | ((req: Recorded) => Response | Promise<Response>)) {
  const requests: Recorded[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = init?.body;
    const recorded: Recorded = {
      method: init?.method ?? "GET",
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: typeof body === "string" ? body : "",
      form: body instanceof FormData ? body : undefined,
    };
    if (init?.redirect !== "manual") throw new Error("recipes must fetch with redirect: manual");
    requests.push(recorded);
    const next = typeof answers === "function" ? answers : answers.shift();
    if (!next) throw new Error(`no answer scripted for ${recorded.method} ${recorded.url}`);
    return typeof next === "function" ? next(recorded) : next;
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function fakeClock(start = Date.UTC(2026, 11, 1, 12, 0, 0)) {
  const sleeps: number[] = [];
  let now = start;
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

export function options(
  fetch: typeof globalThis.fetch,
  credentials: Record<string, string>,
  extra: Partial<RunRecipeOptions> = {},
): RunRecipeOptions {
  return {
    fetch,
    credential: async (name) => credentials[name],
    clock: fakeClock().clock,
    ...extra,
  };
}
