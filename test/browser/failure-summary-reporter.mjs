import { relative } from 'node:path';

// A web-test-runner reporter that repeats every failure at the very end of the run.
// Why: the default reporter prints a failure next to its file, hundreds of lines
// before the end, and CI keeps only the tail of the output; a flaky failure there
// was then known only as "Firefox: 1 failed". This names the engine, file, test and error last.

/** @param {import('@web/test-runner-core').TestSuiteResult | undefined} suite */
function* failedTests(suite, path = []) {
  if (!suite) return;
  for (const t of suite.tests) if (!t.passed && !t.skipped) yield { name: [...path, t.name].join(' > '), error: t.error };
  for (const s of suite.suites) yield* failedTests(s, [...path, s.name]);
}

function firstLines(text, n) {
  return String(text ?? '').split('\n').slice(0, n).map((l) => `      ${l}`).join('\n');
}

/** @returns {import('@web/test-runner-core').Reporter} */
export function failureSummaryReporter() {
  return {
    stop({ sessions }) {
      const lines = [];
      for (const s of sessions) {
        if (s.passed !== false) continue;
        const where = `${s.browser.name}: ${relative(process.cwd(), s.testFile)}`;
        const tests = [...failedTests(s.testResults)];
        for (const t of tests) {
          lines.push(`  ✖ ${where}\n    ${t.name}\n${firstLines(t.error?.message, 4)}\n${firstLines(t.error?.stack, 6)}`);
        }
        // A file can fail without a failing test: a page error, a timeout, a crash.
        for (const e of s.errors ?? []) lines.push(`  ✖ ${where} (file)\n${firstLines(e.message, 4)}\n${firstLines(e.stack, 6)}`);
        if (tests.length === 0 && (s.errors ?? []).length === 0) lines.push(`  ✖ ${where}: status ${s.status}, no test result`);
      }
      if (lines.length === 0) return;
      const text = `Browser test failures (${lines.length}), repeated here:\n${lines.join('\n')}`;
      console.log(`\n${text}\n`);
      // scripts/test.mjs runs this in its own process and prints it once more after the last suite.
      globalThis.wdBrowserFailureSummary = text;
    },
  };
}
