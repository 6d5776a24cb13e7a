import { useEffect, useState } from 'react';

const POLL_MS = 10_000;

/**
 * Whether the server answers, from /healthz (which does not touch the session, so polling never
 * defeats the idle lock) and the browser's online/offline events.
 */
export function useServerLink(): 'ok' | 'down' {
  const [link, setLink] = useState<'ok' | 'down'>('ok');
  useEffect(() => {
    let alive = true;
    const check = async () => {
      try {
        const res = await fetch('/healthz', { cache: 'no-store', credentials: 'omit' });
        if (alive) setLink(res.ok ? 'ok' : 'down');
      } catch {
        if (alive) setLink('down');
      }
    };
    const offline = () => setLink('down');
    const online = () => void check();
    void check();
    const timer = setInterval(check, POLL_MS);
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      alive = false;
      clearInterval(timer);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  }, []);
  return link;
}
