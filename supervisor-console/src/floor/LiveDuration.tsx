import { useLayoutEffect, useRef } from 'react';
import { formatDuration } from '@kit/format.ts';

/**
 * Running timers without re-rendering: every LiveDuration registers its text node, and one
 * interval rewrites the ones whose text changed. Rows then render only when their data changes.
 */
type Entry = { node: Text; sinceMs: number };
const entries = new Set<Entry>();
let clock: () => number = () => Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

const text = (sinceMs: number) => formatDuration(Math.max(0, Math.floor((clock() - sinceMs) / 1000)));

function tick() {
  for (const e of entries) {
    const next = text(e.sinceMs);
    if (e.node.nodeValue !== next) e.node.nodeValue = next;
  }
}

/** The clock timers follow (the server's, from the snapshot offset; a fixed instant in tests). */
export function setFloorClock(now: () => number): void {
  clock = now;
  tick();
}

export function LiveDuration({ since, className, testId }: { since: string; className?: string; testId?: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const node = document.createTextNode('');
    const entry: Entry = { node, sinceMs: Date.parse(since) };
    node.nodeValue = text(entry.sinceMs);
    ref.current!.replaceChildren(node);
    entries.add(entry);
    timer ??= setInterval(tick, 1000);
    return () => {
      entries.delete(entry);
      if (!entries.size && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, [since]);
  return <span ref={ref} className={`live-duration${className ? ` ${className}` : ''}`} data-testid={testId} />;
}
