import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './server.ts';

export const SCREENSHOT_DIR = path.join(repoRoot, 'e2e/artifacts/screenshots');

/** Saves e2e/artifacts/screenshots/<name>.png (for review) and returns its path. */
export async function saveScreenshot(page: Page, name: string, { fullPage = false } = {}): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  return file;
}
