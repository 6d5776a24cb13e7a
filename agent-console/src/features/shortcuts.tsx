import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const shortcutActions = ['ready', 'pause', 'call', 'hangup', 'mute'] as const;
export type ShortcutAction = (typeof shortcutActions)[number];

/** Alt+letter: free in Chromium on Linux and typed the same on AZERTY and QWERTY. */
export const SHORTCUT_KEYS: Record<ShortcutAction, string> = { ready: 'r', pause: 'p', call: 'a', hangup: 'h', mute: 'm' };

/** Calls the handler of each shortcut pressed anywhere in the console (also inside form fields). */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
      const action = shortcutActions.find((a) => e.code === `Key${SHORTCUT_KEYS[a].toUpperCase()}`);
      const handler = action && ref.current[action];
      if (!handler) return;
      e.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The on-screen legend of the shortcuts. */
export function ShortcutLegend() {
  const { t } = useTranslation();
  return (
    <section className="card shortcut-legend" aria-labelledby="shortcuts-title">
      <div className="card-header">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      </div>
      <dl className="card-body shortcuts">
        {shortcutActions.map((a) => (
          <div key={a}>
            <dt>
              <kbd>Alt</kbd> + <kbd>{SHORTCUT_KEYS[a].toUpperCase()}</kbd>
            </dt>
            <dd>{t(`shortcuts.${a}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One line under the call buttons: the shortcuts that apply there. */
export function ShortcutHint({ actions }: { actions: readonly ShortcutAction[] }) {
  const { t } = useTranslation();
  return (
    <p className="shortcut-hint field-hint">
      {actions.map((a, i) => (
        <span key={a}>
          {i > 0 && ' · '}
          <kbd>Alt</kbd>+<kbd>{SHORTCUT_KEYS[a].toUpperCase()}</kbd> {t(`shortcuts.${a}`)}
        </span>
      ))}
    </p>
  );
}
