#!/usr/bin/env node
// Runs every test of the monorepo and prints one closing line, exactly `N passed, N failed`, summed over
// all runners (vitest and @web/test-runner print no summary a CI can read). `pnpm test` runs this.
//
// Runners, in order: typecheck, lint, widget and console builds, contracts (vitest), api (vitest), widget
// size (vitest, node), widget components (@web/test-runner in headless Chromium), end-to-end (vitest +
// playwright-core; the console's tests need its build).
// A runner that crashes before reporting counts as one failure, so a broken suite can never look green.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = mkdtempSync(join(tmpdir(), 'imlu-test-results-'));

function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path) => path && existsSync(path));
}

const chromium = findChromium();
if (!chromium) {
  console.error(
    'No Chromium found. The widget and end-to-end tests need one:\n' +
      '  Debian/Ubuntu: apt-get install -y chromium   (then /usr/bin/chromium is used)\n' +
      '  elsewhere:     set CHROME_PATH=/path/to/chrome-or-chromium',
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const env = { ...process.env, CHROME_PATH: chromium, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' };

function run(label, command, args, extraEnv = {}) {
  console.log(`\n━━ ${label} ━━ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
/** The names of failed tests, repeated at the end: a CI log is often read from its last lines only. */
const failures = [];

function record(label, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${failed > 0 ? '✗' : '✓'} ${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

/** A whole-command check (typecheck, lint, build) counts as one test. */
function check(label, command, args) {
  const status = run(label, command, args);
  record(label, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
  return status === 0;
}

function vitest(label, filter, extraArgs = []) {
  const outputFile = join(resultsDir, `${label.replace(/\W+/g, '-')}.json`);
  const status = run(label, 'pnpm', [
    '--filter', filter, 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${outputFile}`, ...extraArgs,
  ]);
  const report = readJson(outputFile);
  if (!report) return record(label, 0, 1);
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      // eslint-disable-next-line no-control-regex
      const reason = (test.failureMessages?.[0] ?? '').replace(/\u001b\[[\d;]*m/g, '').split('\n').slice(0, 3).join(' ').slice(0, 300);
      failures.push(`${label}: ${file.name.replace(root + '/', '')} > ${test.fullName}\n      ${reason}`);
    }
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')) {
      failures.push(`${label}: ${file.name.replace(root + '/', '')} (${(file.message ?? 'failed to run').split('\n')[0]})`);
    }
  }
  const failed = report.numFailedTests + (status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  record(label, report.numPassedTests, failed, report.numPendingTests + report.numTodoTests);
}

function webTestRunner(label, filter) {
  const outputFile = join(resultsDir, `${label.replace(/\W+/g, '-')}.json`);
  const status = run(label, 'pnpm', ['--filter', filter, 'run', 'test:browser'], { IMLU_TEST_RESULTS: outputFile });
  const report = readJson(outputFile);
  if (!report) return record(label, 0, 1);
  const failed = report.failed + (status !== 0 && report.failed === 0 ? 1 : 0);
  record(label, report.passed, failed, report.skipped ?? 0);
}

check('typecheck', 'pnpm', ['-r', 'typecheck']);
check('lint', 'pnpm', ['exec', 'eslint', '.']);
const built = check('widget build', 'pnpm', ['--filter', '@imlu/widget', 'build']);
const consoleBuilt = check('console build', 'pnpm', ['--filter', '@imlu/console', 'build']);
vitest('contracts', '@imlu/contracts');
vitest('api', '@imlu/api');
if (built) {
  vitest('widget size', '@imlu/widget', ['--dir', 'test']);
  webTestRunner('widget components', '@imlu/widget');
  if (consoleBuilt) vitest('end-to-end', '@imlu/examples');
  else record('end-to-end (not run: the console did not build)', 0, 1);
} else {
  record('widget size, widget components, end-to-end (not run: the widget did not build)', 0, 1);
}

rmSync(resultsDir, { recursive: true, force: true });
if (failures.length) console.log(`\nFailed:\n${failures.map((name) => `  ${name}`).join('\n')}`);
console.log('\n' + lines.join('\n'));
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
