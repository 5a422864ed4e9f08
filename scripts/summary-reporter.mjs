// A second test reporter that prints one plain closing line, "N passed, N failed, N skipped",
// so any CI can read the outcome (the spec reporter prints the details above it).
export default async function* summary(source) {
  let passed = 0, failed = 0, skipped = 0;
  for await (const event of source) {
    // Count leaf tests only: suites report their own pass/fail too.
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    if (event.data.details?.type === "suite") continue;
    if (event.data.skip || event.data.todo) skipped++;
    else if (event.type === "test:pass") passed++;
    else failed++;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`;
}
