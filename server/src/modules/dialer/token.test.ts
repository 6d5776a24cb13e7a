import { describe, expect, it } from 'vitest';
import { newCallToken } from './token.ts';

describe('call tokens', () => {
  it('are tk_ + 32 base62 characters, and never repeat', () => {
    const tokens = Array.from({ length: 5000 }, newCallToken);
    for (const t of tokens) expect(t).toMatch(/^tk_[0-9A-Za-z]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('uses the whole alphabet (no modulo bias towards the first characters)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of newCallToken().slice(3)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const values = [...counts.values()];
    // 64,000 draws over 62 symbols: each near 1032; a biased draw would skew the low symbols by ~25 %.
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.3);
  });
});
