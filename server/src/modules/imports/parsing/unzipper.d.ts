declare module 'unzipper' {
  import type { Duplex, Readable } from 'node:stream';
  interface Entry extends Readable {
    path: string;
    type: 'File' | 'Directory';
    autodrain(): void;
  }
  interface ParseStream extends Duplex {
    on(event: 'entry', listener: (entry: Entry) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  const unzipper: { Parse: (options?: { verbose?: boolean }) => ParseStream };
  export default unzipper;
}
