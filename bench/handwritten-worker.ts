/**
 * The signup-5 work (bench/signup_5.yaml) written by hand as one plain Worker, with no
 * engine: the baseline `npm run bench` compares the executor against.
 */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface Signup {
  email?: unknown;
  name?: unknown;
  age?: unknown;
  plan?: unknown;
}

export default {
  async fetch(request: Request): Promise<Response> {
    let input: Signup;
    try {
      input = (await request.json()) as Signup;
    } catch {
      return Response.json({ error: { code: "invalid_json", message: "body is not JSON" } }, { status: 400 });
    }
    // validate
    if (!EMAIL.test(String(input.email)) || !(Number(input.age) >= 13)) {
      return Response.json({ ok: false, error: "invalid signup" }, { status: 422 });
    }
    // transform
    const name = String(input.name).trim();
    const user = { email: String(input.email).trim().toLowerCase(), name: name[0].toUpperCase() + name.slice(1), age: Number(input.age), plan: input.plan ?? "free" };
    // compute
    const score = user.age * 3 + (user.plan === "pro" ? 50 : 0) + user.email.length;
    const computed = { ...user, tier: user.age >= 18 ? "adult" : "teen", score };
    // template
    const message = `Welcome ${computed.name} (${computed.tier}, score ${computed.score}) — we wrote to ${computed.email}.`;
    // respond
    return Response.json({ ok: true, user: { email: computed.email, name: computed.name, tier: computed.tier }, message });
  },
};
