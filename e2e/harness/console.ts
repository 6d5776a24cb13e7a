import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../../server/test/fixtures.ts';
import type { BrowserFindings, LaunchedBrowser } from './browser.ts';

/** Signs in through a console's login form, reached from the console's home (as an anonymous visitor is). */
export async function signIn(page: Page, serverUrl: string, console: 'agent' | 'supervisor', username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${serverUrl}/${console}/`);
  await page.waitForURL(`**/${console}/login`);
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** The browser's pages broke no CSP rule, reached no host outside the machine and threw nothing. */
export function expectCleanPages(findings: BrowserFindings): void {
  expect(findings.cspViolations).toEqual([]);
  expect(findings.externalRequests).toEqual([]);
  expect(findings.pageErrors).toEqual([]);
}

/** After a test: its page closed, the cookies cleared for the next one, and the pages clean (expectCleanPages). */
export async function finishPage(browser: LaunchedBrowser, page: Page | undefined): Promise<void> {
  await page?.close();
  await browser.context.clearCookies();
  expectCleanPages(browser.findings);
}
