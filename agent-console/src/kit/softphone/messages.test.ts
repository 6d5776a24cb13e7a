import { describe, expect, it } from 'vitest';
import { failureMessage, registrationMessage, UNKNOWN_FAILURE } from './messages.ts';

const JSSIP_CAUSES = [
  'Connection Error', 'Request Timeout', 'SIP Failure Code', 'Internal Error', 'Busy', 'Rejected', 'Redirected', 'Unavailable',
  'Not Found', 'Address Incomplete', 'Incompatible SDP', 'Missing SDP', 'Authentication Error', 'Terminated', 'WebRTC Error',
  'Canceled', 'No Answer', 'Expires', 'No ACK', 'Dialog Error', 'User Denied Media Access', 'Bad Media Description', 'RTP Timeout',
];

describe('softphone messages', () => {
  it('has a French message for every JsSIP cause', () => {
    for (const cause of JSSIP_CAUSES) expect(failureMessage(cause), cause).not.toBe(UNKNOWN_FAILURE);
  });

  it('prefers the proxy’s meaning of a SIP code', () => {
    expect(failureMessage('Rejected', 403)).toMatch(/proposition/);
    expect(failureMessage('Rejected', 603)).toBe('Le correspondant a refusé l’appel.');
    expect(failureMessage('Busy', 486)).toBe('Le correspondant est occupé.');
    expect(failureMessage('Something new')).toBe(UNKNOWN_FAILURE);
  });

  it('explains refused registrations', () => {
    expect(registrationMessage('Rejected', 403)).toMatch(/identifiants refusés/);
    expect(registrationMessage('Connection Error')).toMatch(/réseau/);
  });
});
