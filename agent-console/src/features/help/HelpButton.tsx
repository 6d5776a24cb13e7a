import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../kit/http.ts';
import type { HelpState } from '../../agent/AgentContext.tsx';

const POLL_MS = 15_000;

/**
 * "Demander de l'aide": raises a help request to the trainers; shows when it is open and when a
 * trainer acknowledged it (is coming). The server keeps the request, so a reload shows it again.
 */
export function HelpButton({ api, help, onChange }: { api: ApiClient; help: HelpState; onChange: (h: HelpState) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.get<HelpState>('/api/help-requests/mine').then(
        (h) => alive && onChange(h),
        () => undefined,
      );
    void load();
    const timer = window.setInterval(load, POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [api, onChange]);

  const ask = async () => {
    setError(null);
    try {
      onChange(await api.post<HelpState>('/api/help-requests'));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const cancel = async () => {
    try {
      onChange(await api.delete<HelpState>('/api/help-requests/mine'));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="help-request">
      {help.status === 'none' ? (
        <button type="button" className="btn btn-help" onClick={() => void ask()}>
          ? {t('help.ask')}
        </button>
      ) : (
        <>
          <span className={`badge ${help.status === 'acknowledged' ? 'badge-success' : 'badge-warning'}`} role="status" data-testid="help-status">
            {help.status === 'acknowledged' ? `✓ ${t('help.coming', { name: help.acknowledgedBy ?? t('help.aTrainer') })}` : `… ${t('help.waiting')}`}
          </span>
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => void cancel()}>
            {t('help.cancel')}
          </button>
        </>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
