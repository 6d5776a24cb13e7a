import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** A parsed SIP message (request or response) as received on the websocket. */
export interface SipMessage {
  raw: string;
  status?: number;
  method?: string;
  ruri?: string;
  headers: { name: string; value: string }[];
  body: string;
  header(name: string): string | undefined;
  all(name: string): string[];
}

const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };

export function parseSip(raw: string): SipMessage {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const start = lines.shift()!;
  const headers = lines.map((l) => {
    const i = l.indexOf(':');
    const n = l.slice(0, i).trim().toLowerCase();
    return { name: COMPACT[n] ?? n, value: l.slice(i + 1).trim() };
  });
  const m = /^SIP\/2\.0 (\d{3})/.exec(start);
  const req = /^([A-Z]+) (\S+) SIP\/2\.0/.exec(start);
  const all = (name: string) => headers.filter((h) => h.name === name.toLowerCase()).map((h) => h.value);
  return {
    raw,
    ...(m ? { status: Number(m[1]) } : {}),
    ...(req ? { method: req[1], ruri: req[2] } : {}),
    headers,
    body: rest.join('\r\n\r\n'),
    header: (name) => all(name)[0],
    all,
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const rand = (n = 10) => randomBytes(n).toString('hex');

export interface Credentials {
  username: string;
  password: string;
}

export interface RequestSpec {
  method: string;
  ruri: string;
  from?: string;
  to?: string;
  callId?: string;
  cseq?: number;
  contact?: string;
  headers?: string[];
  body?: string;
  contentType?: string;
}

/** The SDP a plain RTP endpoint would offer (the security tests need signalling, not media). */
export function plainSdp(port = 40000): string {
  return ['v=0', `o=- ${Date.now()} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');
}

/**
 * A raw SIP-over-WebSocket client (RFC 7118) that says exactly what a test tells it to: the
 * attacker's tool. It answers digest challenges when given credentials, nothing more.
 */
export class SipWsClient {
  readonly received: SipMessage[] = [];
  private waiters: { match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }[] = [];
  readonly host = `${rand(4)}.invalid`;
  closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = parseSip(data.toString());
      this.received.push(msg);
      for (const w of [...this.waiters]) {
        if (w.match(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(url: string): Promise<SipWsClient> {
    const ws = new WebSocket(url, 'sip');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new SipWsClient(ws);
  }

  close(): void {
    this.ws.close();
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  wait(match: (m: SipMessage) => boolean, timeoutMs = 5000): Promise<SipMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { match, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`SIP wait timed out after ${timeoutMs} ms`));
        }
      }, timeoutMs);
    });
  }

  build(spec: RequestSpec, branch = `z9hG4bK${rand()}`): string {
    const body = spec.body ?? '';
    const lines = [
      `${spec.method} ${spec.ruri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.host};branch=${branch}`,
      'Max-Forwards: 70',
      `From: ${spec.from}`,
      `To: ${spec.to}`,
      `Call-ID: ${spec.callId}`,
      `CSeq: ${spec.cseq} ${spec.method}`,
      ...(spec.contact ? [`Contact: ${spec.contact}`] : []),
      ...(spec.headers ?? []),
      ...(body ? [`Content-Type: ${spec.contentType ?? 'application/sdp'}`] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    return lines.join('\r\n');
  }

  /** Sends a request and returns its final response (answering one digest challenge if it can). */
  async request(spec: RequestSpec, creds?: Credentials, timeoutMs = 5000): Promise<SipMessage> {
    const branch = `z9hG4bK${rand()}`;
    this.sendRaw(this.build(spec, branch));
    const isFinal = (b: string) => (m: SipMessage) => m.status !== undefined && m.status >= 200 && (m.header('via') ?? '').includes(b);
    let res = await this.wait(isFinal(branch), timeoutMs);
    if ((res.status === 401 || res.status === 407) && creds) {
      if (spec.method === 'INVITE') this.ack(spec, res, branch);
      const challenge = res.header(res.status === 401 ? 'www-authenticate' : 'proxy-authenticate')!;
      const auth = digest(challenge, spec.method, spec.ruri, creds);
      const next = { ...spec, cseq: (spec.cseq ?? 1) + 1, headers: [...(spec.headers ?? []), `${res.status === 401 ? 'Authorization' : 'Proxy-Authorization'}: ${auth}`] };
      const b2 = `z9hG4bK${rand()}`;
      this.sendRaw(this.build(next, b2));
      spec.cseq = next.cseq;
      res = await this.wait(isFinal(b2), timeoutMs);
      if (spec.method === 'INVITE' && res.status! >= 300) this.ack(next, res, b2);
    } else if (spec.method === 'INVITE' && res.status! >= 300) this.ack(spec, res, branch);
    return res;
  }

  /** ACK for a negative final response (same branch, hop by hop). */
  private ack(spec: RequestSpec, res: SipMessage, branch: string): void {
    this.sendRaw(this.build({ ...spec, method: 'ACK', to: res.header('to')!, body: '', headers: [] }, branch));
  }
}

function param(challenge: string, name: string): string | undefined {
  return new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1];
}

function digest(challenge: string, method: string, uri: string, creds: Credentials): string {
  const realm = param(challenge, 'realm')!;
  const nonce = param(challenge, 'nonce')!;
  const qop = param(challenge, 'qop');
  const ha1 = md5(`${creds.username}:${realm}:${creds.password}`);
  const ha2 = md5(`${method}:${uri}`);
  if (qop) {
    const cnonce = rand(8);
    const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
    return `Digest username="${creds.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`;
  }
  return `Digest username="${creds.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}", algorithm=MD5`;
}

/** A dialog the client established (INVITE answered), to send in-dialog requests in it. */
export interface Dialog {
  callId: string;
  from: string;
  to: string;
  remoteTarget: string;
  routes: string[];
  cseq: number;
}

export function dialogFrom200(spec: RequestSpec, ok: SipMessage): Dialog {
  const contact = ok.header('contact')!;
  const rr = ok.all('record-route').flatMap((v) => v.split(/,(?=\s*<)/).map((s) => s.trim()));
  return {
    callId: spec.callId!,
    from: spec.from!,
    to: ok.header('to')!,
    remoteTarget: /<([^>]+)>/.exec(contact)?.[1] ?? contact,
    routes: rr.reverse(),
    cseq: spec.cseq!,
  };
}

export const newCallId = () => `${rand(12)}`;
export const newTag = () => rand(5);
