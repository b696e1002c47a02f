import { format } from 'node:util';

/**
 * Records everything this process writes to stdout and stderr (the Powertools logger, the metrics flush) and
 * through `console` (which vitest intercepts before it reaches stdout), so a test can search the whole output,
 * e.g. for secrets. Nothing is passed through unless asked: the test reads the text, the run stays quiet.
 */
export interface OutputCapture {
  text(): string;
  stop(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureOutput(options: { passThrough?: boolean } = {}): OutputCapture {
  const passThrough = options.passThrough ?? false;
  const chunks: string[] = [];
  const restorers: Array<() => void> = [];

  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      if (!passThrough) {
        // Honour a write callback, as the stream would.
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restorers.push(() => {
      stream.write = original;
    });
  }

  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      chunks.push(`${format(...args)}\n`);
      if (passThrough) original.apply(console, args);
    };
    restorers.push(() => {
      console[method] = original;
    });
  }

  return {
    text: () => chunks.join(''),
    stop: () => {
      for (const restore of restorers.reverse()) restore();
    },
  };
}
