import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { decode, encode, type BValue } from './bencode.ts';

export type NgDict = { [key: string]: BValue };

export class NgError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`rtpengine ${command}: ${reason}`);
  }
}

/**
 * rtpengine ng control client: "<cookie> <bencoded dict>" datagrams over UDP, replies matched by
 * cookie. Retransmits once (UDP may drop) and fails after `timeoutMs`.
 */
export class NgClient {
  private socket: Socket | null = null;
  private readonly pending = new Map<string, { resolve: (v: NgDict) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 2000,
  ) {}

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = createSocket('udp4');
    socket.on('message', (msg) => {
      const space = msg.indexOf(0x20);
      if (space < 0) return;
      const cookie = msg.toString('ascii', 0, space);
      const waiter = this.pending.get(cookie);
      if (!waiter) return;
      this.pending.delete(cookie);
      clearTimeout(waiter.timer);
      try {
        const reply = decode(msg.subarray(space + 1));
        if (typeof reply !== 'object' || Array.isArray(reply) || Buffer.isBuffer(reply)) throw new Error('not a dictionary');
        waiter.resolve(reply);
      } catch (err) {
        waiter.reject(err as Error);
      }
    });
    socket.unref();
    this.socket = socket;
    return socket;
  }

  /** Sends a command; resolves with the reply, rejects with NgError when result is "error". */
  async command(command: string, args: NgDict = {}): Promise<NgDict> {
    const socket = this.open();
    const cookie = randomBytes(8).toString('hex');
    const payload = Buffer.concat([Buffer.from(`${cookie} `), encode({ ...args, command })]);
    const reply = await new Promise<NgDict>((resolve, reject) => {
      const send = () => socket.send(payload, this.port, this.host);
      const retry = setTimeout(send, Math.min(500, this.timeoutMs / 2));
      const timer = setTimeout(() => {
        clearTimeout(retry);
        this.pending.delete(cookie);
        reject(new NgError(command, 'timeout'));
      }, this.timeoutMs);
      this.pending.set(cookie, {
        resolve: (v) => {
          clearTimeout(retry);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(retry);
          reject(e);
        },
        timer,
      });
      send();
    });
    if (reply.result === 'error') throw new NgError(command, String(reply['error-reason'] ?? 'error'));
    return reply;
  }

  close(): void {
    for (const [, w] of this.pending) {
      clearTimeout(w.timer);
      w.reject(new NgError('close', 'client closed'));
    }
    this.pending.clear();
    this.socket?.close();
    this.socket = null;
  }
}
