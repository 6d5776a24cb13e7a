import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session.tsx';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;
/** How long before the lock the warning shows. */
const WARN_SECONDS = 60;
/** Activity refreshes the server's idle clock at most this often. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Locks (logs out) the session after `idleTimeoutSeconds` without keyboard or pointer activity,
 * warning a minute before. Activity also keeps the server-side session alive, so the two agree.
 */
export function IdleLock({ busy = false }: { /** Work in progress (e.g. a call): the idle clock waits. */ busy?: boolean } = {}) {
  const { t } = useTranslation();
  const { session, logout, touch } = useSession();
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const lastActivity = useRef(Date.now());
  const lastTouch = useRef(Date.now());
  const timeout = session?.idleTimeoutSeconds ?? 0;
  const stayButton = useRef<HTMLButtonElement>(null);
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    if (!timeout) return;
    lastActivity.current = Date.now();
    lastTouch.current = Date.now();
    const onActivity = () => {
      const now = Date.now();
      const remaining = timeout - (now - lastActivity.current) / 1000;
      // Once the warning shows, only the explicit "I am here" button (or a key press) counts.
      if (remaining <= WARN_SECONDS) return;
      lastActivity.current = now;
      if (now - lastTouch.current > TOUCH_EVERY_MS) {
        lastTouch.current = now;
        touch().catch(() => undefined); // a lost session is handled by the client's 401 path
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true });
    const tick = setInterval(() => {
      if (busyRef.current) {
        // A trainee listening on a call touches nothing: that is not being away.
        lastActivity.current = Date.now();
        setSecondsLeft(null);
        if (Date.now() - lastTouch.current > TOUCH_EVERY_MS) {
          lastTouch.current = Date.now();
          touch().catch(() => undefined);
        }
        return;
      }
      const remaining = Math.ceil(timeout - (Date.now() - lastActivity.current) / 1000);
      if (remaining <= 0) {
        clearInterval(tick);
        void logout('idle');
      } else setSecondsLeft(remaining <= WARN_SECONDS ? remaining : null);
    }, 1000);
    return () => {
      clearInterval(tick);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity);
    };
  }, [timeout, logout, touch]);

  const warning = secondsLeft !== null;
  useEffect(() => {
    if (warning) stayButton.current?.focus();
  }, [warning]);

  if (secondsLeft === null) return null;
  const stay = () => {
    lastActivity.current = Date.now();
    lastTouch.current = Date.now();
    setSecondsLeft(null);
    touch().catch(() => undefined);
  };
  return (
    <div className="overlay" role="presentation">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body">
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p id="idle-body">{t('idle.body', { seconds: secondsLeft })}</p>
        <div className="dialog-actions">
          <button ref={stayButton} type="button" className="btn btn-primary" onClick={stay}>
            {t('idle.stay')}
          </button>
        </div>
      </div>
    </div>
  );
}
