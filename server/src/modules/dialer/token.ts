import { base62Token } from '../../lib/tokens.ts';

/** `tk_` + 32 base62 characters (~190 bits), drawn without modulo bias. */
export const newCallToken = (): string => base62Token('tk_');
