// Test harness (AssemblyScript): stdin → JSON.tryParse → stringify → stdout, or "ERR <reason>".
import { JSON } from "@arcrun/component-sdk/assembly";
import { readStdin, writeStdout } from "@arcrun/component-sdk/assembly/wasi";

const value = JSON.tryParse(readStdin());
if (value === null) writeStdout("ERR " + JSON.parseError());
else writeStdout(value!.stringify());
