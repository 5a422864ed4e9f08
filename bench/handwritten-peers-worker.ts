/**
 * signup-5 with the peers' semantics (bench/signup_5_peers.yaml) written by hand as one plain
 * Worker: the same code as the shared harness's floor ("Braw", ../shared/bench/signup-5/floor-b-worker.mjs).
 */
function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

interface Signup {
  email?: unknown;
  age?: unknown;
  name?: unknown;
  tags?: unknown;
}

export default {
  async fetch(request: Request): Promise<Response> {
    let b: Signup;
    try {
      b = (await request.json()) as Signup;
    } catch {
      return json(400, { error: "invalid json" });
    }
    const bad: string[] = [];
    if (typeof b?.email !== "string" || !b.email.includes("@")) bad.push("email");
    if (!Number.isInteger(b?.age) || (b.age as number) < 18) bad.push("age");
    if (typeof b?.name !== "string" || b.name.trim() === "") bad.push("name");
    if (bad.length) return json(400, { error: "validation failed", fields: bad });
    const name = (b.name as string).split(" ").map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(" ");
    const email = (b.email as string).toLowerCase();
    const score = (b.age as number) * 2 + (Array.isArray(b.tags) ? b.tags.length : 0);
    return json(200, { greeting: `Hello ${name}, your score is ${score}`, email, score });
  },
};
