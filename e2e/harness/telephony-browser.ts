import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from './server.ts';
import { waitFor } from './wait.ts';

/**
 * The agent softphone module (agent-console/src/kit/softphone) bundled as a classic script, for
 * browser tests that drive the real module (real JsSIP, real WebRTC) on the server's origin.
 */
export async function softphoneBundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(repoRoot, 'agent-console/src/kit/softphone/softphone.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'PasserelleSoftphone',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Records everything the page receives, to search it for leaks: every websocket frame (SIP and
 * socket.io) through a wrapped window.WebSocket, and every HTTP response body.
 */
export async function recordTraffic(context: BrowserContext): Promise<{ http: string[]; frames: (page: Page) => Promise<string[]> }> {
  await context.addInitScript({
    content: `(() => {
      const Native = window.WebSocket;
      window.__frames = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => window.__frames.push(typeof e.data === 'string' ? e.data : '[binary]'));
        }
      };
    })();`,
  });
  const http: string[] = [];
  context.on('response', (res) => {
    void res
      .text()
      .then((t) => http.push(`${res.url()}\n${t}`))
      .catch(() => undefined);
  });
  return { http, frames: (page) => page.evaluate('window.__frames') as Promise<string[]> };
}

/** Every way a number may be written: E.164, international without +, national, spaced. */
export function numberForms(e164: string): string[] {
  const national = `0${e164.slice(4)}`; // +590 690… → 0690…
  const spaced = national.replace(/(\d{2})(?=\d)/g, '$1 ');
  return [e164, e164.slice(1), national, spaced, national.slice(1), `00${e164.slice(1)}`];
}

/** Logs `username` in through the API (the page's cookies) and opens `pathname`. Returns the session's CSRF token. */
export async function signInOverApi(page: Page, serverUrl: string, username: string, password: string, pathname: string): Promise<string> {
  const login = await page.request.post(`${serverUrl}/api/auth/login`, { data: { username, password } });
  if (login.status() !== 200) throw new Error(`login ${username}: ${login.status()}`);
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  await page.goto(`${serverUrl}${pathname}`);
  return csrf;
}

/**
 * Logs `username` in on the server, opens `pathname` (the page's origin and CSP), loads the
 * softphone module and starts the line as window.phone. Returns the session's CSRF token.
 */
export async function openSoftphone(page: Page, serverUrl: string, username: string, password: string, pathname = '/agent/'): Promise<string> {
  const csrf = await signInOverApi(page, serverUrl, username, password, pathname);
  // Evaluated through the debugging protocol: the page's CSP rightly forbids inline scripts.
  await page.evaluate(`${await softphoneBundle()}; window.PasserelleSoftphone = PasserelleSoftphone;`);
  await page.evaluate(`window.phone = new PasserelleSoftphone.Softphone({
    fetchCredentials: () => fetch('/api/telephony/credentials', { method: 'POST', headers: { 'x-csrf-token': ${JSON.stringify(csrf)} } }).then((r) => r.json()),
  }); window.phone.start();`);
  return csrf;
}

/** Waits until the line started by openSoftphone is registered. */
export const lineRegistered = (page: Page) => waitFor('registration', async () => ((await page.evaluate('window.phone.state.health')) as string) === 'ready');
