// A @web/test-runner reporter that writes {"passed":N,"failed":N,"skipped":N} to a file, counting
// individual tests across every browser session. The root test orchestrator (.ci/test-all.mjs) sets
// IMLU_TEST_RESULTS to a path and reads it, because WTR prints no summary line a CI can parse.
// A test file that fails to load or throws outside a test counts as one failed test, so a broken file can
// never look green.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, totals);
}

/** @param {string | undefined} file where to write the counts; without it the reporter does nothing */
export function resultsFileReporter(file) {
  return {
    stop({ sessions }) {
      if (!file) return;
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.failed;
        if (session.testResults) countSuite(session.testResults, totals);
        // Errors outside any test (import failure, uncaught error) that no test already reported.
        if (totals.failed === before && (session.errors.length > 0 || session.passed === false)) totals.failed += 1;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(totals)}\n`);
    },
  };
}
