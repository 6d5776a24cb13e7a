import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactedPaths } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { log: pino({ redact: { paths: redactedPaths, censor: '[masqué]' } }, stream), lines };
}

describe('log redaction', () => {
  it('hides personal fields and secrets at the top level and nested two levels deep', () => {
    const { log, lines } = capture();
    log.info({ password: 'p-top', phone: '+590690001234' }, 'top');
    log.info({ body: { password: 'p-one', email: 'a@b.example' } }, 'one');
    log.info({ a: { b: { token: 'tk_secret', destinationE164: '+590690009999' } } }, 'two');
    const all = lines.join('');
    for (const secret of ['p-top', '+590690001234', 'p-one', 'a@b.example', 'tk_secret', '+590690009999']) {
      expect(all).not.toContain(secret);
    }
    expect(all.match(/\[masqué\]/g)?.length).toBe(6);
  });
});
