// A node:test reporter that writes one JSON line per skipped test (name, file, reason) to its
// destination. scripts/run-tests.mjs reads them: a skip prints its reason, and fails a CI run.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    yield `${JSON.stringify({ name, file, reason: skip === true ? "" : String(skip) })}\n`;
  }
}
