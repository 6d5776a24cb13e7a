import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work with Debian's Chromium here (STACK.md), plus fake media devices for WebRTC. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

export interface LaunchBrowserOptions {
  /** Extra Chromium flags (e.g. --use-file-for-fake-audio-capture=...). */
  args?: string[];
  /** Default 1366×768, the call-centre seats' screens. */
  viewport?: { width: number; height: number };
  locale?: string;
  timezoneId?: string;
  headless?: boolean;
  env?: LaunchOptions['env'];
}

/** What the guard saw that a page must never do. */
export interface BrowserFindings {
  /** CSP violations (console reports and securitypolicyviolation events). */
  cspViolations: string[];
  /** Requests that left the loopback interface. */
  externalRequests: string[];
  /** Uncaught exceptions in pages. */
  pageErrors: string[];
  /** Every console error, for diagnosis. */
  consoleErrors: string[];
}

export interface LaunchedBrowser {
  context: BrowserContext;
  findings: BrowserFindings;
  close: () => Promise<void>;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

export function isLoopbackUrl(raw: string): boolean {
  const url = new URL(raw);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return true; // data:, blob:, about:
  return LOOPBACK.test(url.hostname);
}

/**
 * Debian Chromium through playwright-core, in a fresh profile directory (removed on close), with a
 * guard recording CSP violations, page errors and any request to a non-loopback host.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'passerelle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: options.locale ?? 'fr-FR',
    timezoneId: options.timezoneId,
    permissions: ['microphone'],
    env: options.env,
  });
  const findings: BrowserFindings = { cspViolations: [], externalRequests: [], pageErrors: [], consoleErrors: [] };

  // Runs in every page (the source is text: this package is compiled without the DOM types).
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
    });`,
  });
  context.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    findings.consoleErrors.push(text);
    if (/Content Security Policy|CSP violation/i.test(text)) findings.cspViolations.push(text);
  });
  context.on('weberror', (err) => findings.pageErrors.push(String(err.error())));
  context.on('request', (req) => {
    if (!isLoopbackUrl(req.url())) findings.externalRequests.push(req.url());
  });

  return {
    context,
    findings,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
