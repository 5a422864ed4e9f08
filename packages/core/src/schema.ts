/**
 * zod in its interpreted mode: Workers forbid `new Function`, and we want the same
 * validation path on every platform. Import `z` from here, never from "zod" directly.
 */
import { z } from "zod";
z.config({ jitless: true });
export { z };
