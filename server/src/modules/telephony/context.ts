import type { RecordingService } from '../recordings/service.ts';
import type { NgClient } from './ng/client.ts';
import type { SipCallRepository } from './repository.ts';
import type { TelephonyService } from './service.ts';

/** What the telephony plugin decorates the app with, for the API modules that need it. */
export interface Telephony {
  service: TelephonyService;
  calls: SipCallRepository;
  ng: NgClient;
  recordings: RecordingService;
}

declare module 'fastify' {
  interface FastifyInstance {
    telephony: Telephony;
  }
}
