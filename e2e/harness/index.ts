export { ensureConsolesBuilt, freePort, repoRoot, startServer, type RunningServer, type StartServerOptions } from './server.ts';
export { CHROMIUM_ARGS, CHROMIUM_PATH, isLoopbackUrl, launchBrowser, type BrowserFindings, type LaunchBrowserOptions, type LaunchedBrowser } from './browser.ts';
export { expectCleanPages, finishPage, signIn } from './console.ts';
export { SCREENSHOT_DIR, saveScreenshot } from './screenshots.ts';
export { PASSWORD, SEAT_IP } from '../../server/test/fixtures.ts';
export { waitFor } from './wait.ts';
