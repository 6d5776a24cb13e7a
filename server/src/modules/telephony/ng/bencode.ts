/** Bencode, the encoding of rtpengine's ng control protocol. Strings decode to UTF-8 text. */
export type BValue = string | number | Buffer | BValue[] | { [key: string]: BValue };

export function encode(value: BValue): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: BValue, out: Buffer[]): void {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('bencode: integers only');
    out.push(Buffer.from(`i${value}e`));
  } else if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    out.push(Buffer.from(`${bytes.length}:`), bytes);
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('l'));
    for (const item of value) write(item, out);
    out.push(Buffer.from('e'));
  } else {
    out.push(Buffer.from('d'));
    // Keys sorted by raw bytes, as the format requires.
    for (const key of Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
      write(key, out);
      write(value[key]!, out);
    }
    out.push(Buffer.from('e'));
  }
}

export class BencodeError extends Error {}

export function decode(data: Buffer): BValue {
  const [value, end] = read(data, 0);
  if (end !== data.length) throw new BencodeError(`bencode: ${data.length - end} trailing bytes`);
  return value;
}

function read(data: Buffer, pos: number): [BValue, number] {
  const c = data[pos];
  if (c === undefined) throw new BencodeError('bencode: unexpected end');
  if (c === 0x69) {
    // i<int>e
    const end = data.indexOf(0x65, pos);
    if (end < 0) throw new BencodeError('bencode: unterminated integer');
    const text = data.toString('ascii', pos + 1, end);
    if (!/^-?\d+$/.test(text)) throw new BencodeError('bencode: bad integer');
    return [Number(text), end + 1];
  }
  if (c === 0x6c || c === 0x64) {
    const isDict = c === 0x64;
    const list: BValue[] = [];
    const dict: Record<string, BValue> = {};
    let p = pos + 1;
    while (data[p] !== 0x65) {
      if (p >= data.length) throw new BencodeError('bencode: unterminated container');
      if (isDict) {
        const [key, afterKey] = read(data, p);
        if (typeof key !== 'string') throw new BencodeError('bencode: dictionary key must be a string');
        const [v, afterValue] = read(data, afterKey);
        dict[key] = v;
        p = afterValue;
      } else {
        const [v, next] = read(data, p);
        list.push(v);
        p = next;
      }
    }
    return [isDict ? dict : list, p + 1];
  }
  if (c >= 0x30 && c <= 0x39) {
    const colon = data.indexOf(0x3a, pos);
    if (colon < 0) throw new BencodeError('bencode: bad string length');
    const len = Number(data.toString('ascii', pos, colon));
    const start = colon + 1;
    if (!Number.isInteger(len) || start + len > data.length) throw new BencodeError('bencode: string overruns input');
    return [data.toString('utf8', start, start + len), start + len];
  }
  throw new BencodeError(`bencode: unexpected byte 0x${c.toString(16)} at ${pos}`);
}
