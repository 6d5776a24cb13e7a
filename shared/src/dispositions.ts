import type { DispositionCode } from './api/campaign-engine.ts';

/**
 * The only qualifications of a call nobody answered (the server refuses the others): no
 * appointment, sale or wrong number can come from it. A declined call (SIP 603) may also be
 * qualified "not interested": the callee refused it. Zod-free, so a console may import it.
 */
export function dispositionsWithoutAnswer(sipCode: number | null): readonly DispositionCode[] {
  const base: DispositionCode[] = ['no_answer', 'busy', 'voicemail'];
  return sipCode === 603 ? [...base, 'not_interested'] : base;
}
