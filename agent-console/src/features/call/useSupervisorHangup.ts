import { useCallback, useEffect, useState } from 'react';
import type { UseSoftphone } from '../../kit/softphone/index.ts';

/**
 * A trainer ends the trainee's call (server event `supervision:hangup`): the line hangs up here,
 * so its BYE reaches the customer as any hang-up does (the proxy ends the call itself only if the
 * console does not). Returns the handler for the event; a request for another call is ignored.
 */
export function useSupervisorHangup(phone: Pick<UseSoftphone, 'hangup'>, attemptInHand: string | undefined): (attemptId: string) => void {
  const [requested, setRequested] = useState<string | null>(null);
  useEffect(() => {
    if (!requested || requested !== attemptInHand) return;
    setRequested(null);
    phone.hangup();
  }, [requested, attemptInHand, phone]);
  return useCallback((attemptId: string) => setRequested(attemptId), []);
}
