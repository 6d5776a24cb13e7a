import { describe, expect, it } from 'vitest';
import { orderedIdPrefix } from './job.ts';

const id = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(8, '0')}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

describe('orderedIdPrefix', () => {
  it('gives RFC 9562 version 7 ids whose time is the import time', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    const uuid = id(orderedIdPrefix(now), 1);
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(uuid.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('increases with the row counter and differs between imports of the same millisecond', () => {
    const prefix = orderedIdPrefix(1);
    const ids = [1, 2, 255, 256, 0xffffffff].map((n) => id(prefix, n));
    expect([...ids].sort()).toEqual(ids);
    const prefixes = new Set(Array.from({ length: 1000 }, () => orderedIdPrefix(1)));
    expect(prefixes.size).toBe(1000);
  });
});
