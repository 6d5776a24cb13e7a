import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { parseRange } from './routes.ts';

describe('parseRange', () => {
  it('reads absent, bounded, open and suffix ranges', () => {
    expect(parseRange(undefined, 1000)).toBeNull();
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
  });

  it('refuses unsatisfiable or malformed ranges with 416', () => {
    for (const bad of ['bytes=1000-', 'bytes=5-2', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6']) {
      expect(() => parseRange(bad, 1000), bad).toThrow(AppError);
    }
  });
});
