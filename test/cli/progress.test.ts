import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, progressReporter } from "../../src/cli/progress.ts";

/** A reporter on a fake clock: `tick(ms)` moves time, `lines` has what it wrote. */
function fake(isTTY: boolean, quiet = false, first = 0) {
  let now = 0;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY };
  const reporter = progressReporter(io, 1000, quiet, { now: () => now, first });
  const tick = (ms: number): void => {
    now += ms;
  };
  return { reporter, out, err, tick };
}

test("in a log: the first step, then at most a line a second, then the last, with rate and ETA", () => {
  const { reporter, out, tick } = fake(false);
  for (let step = 1; step <= 1000; step++) {
    tick(10); // 100 steps a second: 10 s in all
    reporter.update(step, `step ${step}`);
  }
  assert.ok(out.length >= 10 && out.length <= 12, `${out.length} lines`);
  assert.equal(out[0], "step 1  0.0 s\n"); // no rate yet: the first steps include warm-up
  assert.match(out[1], /^step 101 {2}1\.0 s, 100 steps\/s, ETA 9\.0 s\n$/);
  assert.equal(out[out.length - 1], "step 1000  10.0 s\n");
});

test("on a terminal: one line on stderr redrawn about once a second, ended at the last step", () => {
  const { reporter, out, err, tick } = fake(true);
  for (let step = 1; step <= 1000; step++) {
    tick(2);
    reporter.update(step, `step ${step}`);
  }
  assert.equal(out.length, 0);
  assert.ok(err.length >= 2 && err.length <= 4, `${err.length} redraws in 2 s`);
  assert.ok(err.every((l) => l.startsWith("\r") && l.includes("\u001b[K")));
  assert.ok(err[err.length - 1].endsWith("step 1000  2.0 s\u001b[K\n"), err[err.length - 1]);
});

test("quiet (--json) writes nothing; a resumed run's rate counts only its own steps", () => {
  const quiet = fake(false, true);
  quiet.reporter.update(1, "step 1");
  assert.deepEqual(quiet.out, []);
  const resumed = fake(false, false, 500);
  resumed.tick(1000);
  resumed.reporter.update(501, "step 501");
  assert.match(resumed.out[0], /1\.0 s, 1\.0 steps\/s, ETA 8 min 19 s/);
});

test("durations read as seconds, minutes or hours", () => {
  assert.equal(formatDuration(2.25), "2.3 s");
  assert.equal(formatDuration(125), "2 min 05 s");
  assert.equal(formatDuration(3720), "1 h 02 min");
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), "?");
});
