/**
 * Reads a response body within bounds, keeping as little as possible: chunks are collected as Buffers and decoded
 * once at the end (no growing string per chunk, which on hostile bodies is mostly garbage for the GC), and a body
 * whose declared Content-Length already exceeds the cap is read only as far as its transcript preview: it could not
 * be parsed anyway, so reading megabytes of it would only cost memory and time.
 */
import { TRANSCRIPT_BODY_CAP } from './limits.js';

export interface BodyState {
  /** Decoded text read so far (set by `finishBody`). */
  text: string;
  /** Bytes received (the chunk that crossed the cap included). */
  bytes: number;
  truncated: boolean;
  /** Why reading stopped early, when it did. */
  cutReason?: string;
  chunks: Buffer[];
  kept: number;
}

export const newBodyState = (): BodyState => ({ text: '', bytes: 0, truncated: false, chunks: [], kept: 0 });

/** Content-Length as a number, when present and sane. */
export function declaredLength(headers: Record<string, string>): number | undefined {
  const v = headers['content-length'];
  if (v === undefined || !/^\d{1,16}$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** How many bytes of a body to keep: the cap, or only the preview when Content-Length says it is over the cap. */
export function keepLimit(maxBytes: number, declared: number | undefined): number {
  return declared !== undefined && declared > maxBytes ? Math.min(maxBytes, TRANSCRIPT_BODY_CAP) : maxBytes;
}

/**
 * Reads `body` into `state` until it ends or `limit` bytes are kept (then destroys it). `onChunk` runs per chunk
 * (idle timers). Throws what the stream throws; `state` then holds what arrived.
 */
export async function readBody(
  body: AsyncIterable<Buffer> & { destroy(): void },
  state: BodyState,
  limit: number,
  onChunk?: () => void,
): Promise<void> {
  for await (const chunk of body) {
    onChunk?.();
    state.bytes += chunk.length;
    if (state.kept + chunk.length > limit) {
      state.chunks.push(chunk.subarray(0, limit - state.kept));
      state.kept = limit;
      state.truncated = true;
      body.destroy();
      break;
    }
    state.chunks.push(chunk);
    state.kept += chunk.length;
  }
}

/** Decodes what was kept (UTF-8, invalid sequences replaced; a character cut by the cap dropped) and frees chunks. */
export function finishBody(state: BodyState): string {
  const buf = Buffer.concat(state.chunks, state.kept);
  state.chunks = [];
  state.text = state.truncated
    ? new TextDecoder('utf-8').decode(buf, { stream: true })
    : new TextDecoder('utf-8').decode(buf);
  return state.text;
}
