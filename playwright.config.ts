import { defineConfig } from '@playwright/test';
import { BROWSER_ARGS, DESK_VIEWPORT } from './test/helpers/browser';

// End-to-end tests in Debian's Chromium (never a downloaded browser), one at a time: the
// machine has two cores. `npm run test:e2e` runs them in a loopback-only network namespace.
export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: DESK_VIEWPORT,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: BROWSER_ARGS },
  },
});
