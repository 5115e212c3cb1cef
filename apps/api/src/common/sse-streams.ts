import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';

/** One open Server-Sent Events response, written only while it is open. */
export interface SseStream {
  readonly open: boolean;
  send(text: string): Promise<void>;
  end(): void;
}

/**
 * Every open event stream of this API process. When the process stops, each stream is told so and
 * ended, so the HTTP server can close at once instead of waiting on streams that never end; clients
 * reconnect (to another API process) with `Last-Event-ID` and resume where they were.
 */
@Injectable()
export class SseStreams implements BeforeApplicationShutdown {
  private readonly streams = new Set<SseStream>();

  start(res: Response): SseStream {
    res
      .status(200)
      .set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    let open = true;
    const streams = this.streams;
    const stream: SseStream = {
      get open() {
        return open;
      },
      async send(text) {
        if (open && !res.write(text)) await new Promise((r) => (res.once('drain', r), res.once('close', r)));
      },
      end() {
        if (!open) return;
        open = false;
        streams.delete(stream);
        res.end();
      },
    };
    res.on('close', () => {
      open = false;
      streams.delete(stream);
    });
    streams.add(stream);
    return stream;
  }

  beforeApplicationShutdown(): void {
    for (const s of [...this.streams]) {
      void s.send(': this API process is stopping; reconnect with Last-Event-ID to resume\n\n');
      s.end();
    }
  }
}
