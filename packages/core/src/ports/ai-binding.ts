/**
 * The Workers AI binding as core sees it: `env.AI.run(model, inputs)` (Cloudflare's `Ai`
 * binding has more; the AI builtins need this one method). The executor passes `env.AI`
 * when the Worker has it bound; tests pass a fake.
 *
 *   text generation: run("@cf/meta/llama-3.1-8b-instruct", {messages, max_tokens, temperature})
 *                    → {response: string | object, usage?: {prompt_tokens, completion_tokens}}
 *   embeddings:      run("@cf/baai/bge-base-en-v1.5", {text: string[]}) → {shape, data: number[][]}
 */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}
