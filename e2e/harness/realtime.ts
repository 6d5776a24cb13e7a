import type { BrowserContext } from 'playwright-core';
import { SESSION_COOKIE } from '../../server/src/plugins/auth.ts';
import { connectAs, Recorder } from '../../server/test/dialer-fixtures.ts';

/**
 * A socket.io client in the test process with a browser context's session: what that user's
 * console receives on `/agent` or `/supervisor` (its id, for the sessions tied to a socket).
 */
export async function realtimeAs(context: BrowserContext, serverUrl: string, namespace: '/agent' | '/supervisor') {
  const cookie = (await context.cookies(serverUrl)).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie in this context');
  const socket = connectAs(serverUrl, namespace, `${SESSION_COOKIE}=${cookie.value}`);
  const log = new Recorder().attach(socket);
  await log.next('snapshot');
  return { socket, log };
}
