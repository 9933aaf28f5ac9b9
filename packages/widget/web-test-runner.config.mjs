// @web/test-runner: the component tests in headless Chromium (Debian's, or CHROME_PATH). No package may
// download a browser here, so we never fall back to puppeteer's own.
import { existsSync } from 'node:fs';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { resultsFileReporter } from './test/results-file-reporter.mjs';

// CHROME_PATH, when set, must point at a browser: silently testing another one would hide the mistake.
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(
    process.env.CHROME_PATH
      ? `CHROME_PATH=${process.env.CHROME_PATH} does not exist. Point it at a Chrome or Chromium binary.`
      : 'No Chromium at /usr/bin/chromium. Install Debian\'s (apt-get install -y chromium) or set CHROME_PATH ' +
          'to a Chrome or Chromium binary.',
  );
}

export default {
  rootDir: '../..',
  files: [new URL('./src/**/*.test.ts', import.meta.url).pathname],
  nodeResolve: { exportConditions: ['production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: new URL('./tsconfig.json', import.meta.url).pathname })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 10_000 } },
  reporters: [defaultReporter(), resultsFileReporter(process.env.IMLU_TEST_RESULTS)],
};
