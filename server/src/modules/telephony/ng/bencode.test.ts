import { describe, expect, it } from 'vitest';
import { BencodeError, decode, encode } from './bencode.ts';

describe('bencode', () => {
  it('encodes an ng command with sorted keys', () => {
    const bytes = encode({ command: 'delete', 'call-id': 'abc', flags: ['fatal'], n: 3 });
    expect(bytes.toString()).toBe('d7:call-id3:abc7:command6:delete5:flagsl5:fatale1:ni3ee');
  });

  it('round-trips nested values and UTF-8 lengths in bytes', () => {
    const value = { sdp: 'v=0\r\ns=é\r\n', list: [1, -2, 'x', { a: [] }] };
    expect(encode(value).toString()).toContain('11:v=0\r\ns=é\r\n');
    expect(decode(encode(value))).toEqual(value);
  });

  it('decodes an rtpengine reply', () => {
    expect(decode(Buffer.from('d6:result2:ok3:sdp3:v=0e'))).toEqual({ result: 'ok', sdp: 'v=0' });
  });

  it('rejects malformed input', () => {
    expect(() => decode(Buffer.from('d6:result2:ok'))).toThrow(BencodeError);
    expect(() => decode(Buffer.from('5:abc'))).toThrow(BencodeError);
    expect(() => decode(Buffer.from('i12x'))).toThrow(BencodeError);
    expect(() => decode(Buffer.from('i1ei2e'))).toThrow(BencodeError);
    expect(() => encode(1.5)).toThrow(TypeError);
  });
});
