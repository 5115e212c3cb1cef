import { z } from 'zod';
import type { Stack } from './stack';

export interface SseEvent {
  at: number;
  data: string;
  event?: string;
  id?: string;
  comment?: string;
}

/** A log stream's line event: `data: {"n","t","ts"}` (the stream's contract, libs/contracts tasks). */
const streamedLineSchema = z.looseObject({ n: z.number().int(), t: z.string() });

/** The line a log stream's line event carries. */
export function streamedLine(e: SseEvent): z.infer<typeof streamedLineSchema> {
  return streamedLineSchema.parse(JSON.parse(e.data));
}

/** Reads an event stream of the API (a path under /api/v1) to its end, keeping every event. */
export async function readEventStream(
  stack: Stack,
  path: string,
  onEvent?: (e: SseEvent) => void,
  lastEventId?: number,
): Promise<SseEvent[]> {
  const res = await fetch(`${stack.url}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${stack.token}`, ...(lastEventId !== undefined ? { 'Last-Event-ID': String(lastEventId) } : {}) },
  });
  if (!res.headers.get('content-type')?.includes('text/event-stream')) throw new Error(`not an event stream: ${res.status}`);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let idx;
    while ((idx = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const comment = /^: ?(.*)$/m.exec(block)?.[1];
      const e = data ? { at: Date.now(), data, event, id } : comment !== undefined ? { at: Date.now(), data: '', comment } : undefined;
      if (!e) continue;
      events.push(e);
      onEvent?.(e);
    }
  }
  return events;
}

/** Reads a task's live log stream to its end (or until the server closes it), keeping every event. */
export function readLogStream(stack: Stack, upid: string, onEvent?: (e: SseEvent) => void, lastEventId?: number): Promise<SseEvent[]> {
  return readEventStream(stack, `/tasks/${encodeURIComponent(upid)}/log/stream`, onEvent, lastEventId);
}

/** Reads a rollout's progress stream to its end. */
export function readRolloutStream(stack: Stack, id: number, lastEventId?: number): Promise<SseEvent[]> {
  return readEventStream(stack, `/rollouts/${id}/events/stream`, undefined, lastEventId);
}
