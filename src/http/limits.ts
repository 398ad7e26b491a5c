/** Bounds of what the HTTP layer records and keeps: transcripts and streams stay small on hostile targets. */

/** Each recorded request/response body (and each SSE event's data) is cut to this many bytes in the transcript. */
export const TRANSCRIPT_BODY_CAP = 64 * 1024;
/**
 * A body cut at the byte cap, not the JSON it claims to be, or nested beyond the JSON depth bound keeps only this
 * much in the transcript (with its real size).
 */
export const TRANSCRIPT_PREVIEW_CAP = 4 * 1024;
/** Body and event text one transcript (one check) records in full; beyond it, each is kept as a short preview. */
export const TRANSCRIPT_BUDGET_BYTES = 1024 * 1024;
/** The preview kept once a transcript is over its budget. */
export const TRANSCRIPT_OVER_BUDGET_CAP = 1024;
/** Events recorded per stream (transcript and `done.events`); later events are delivered live but only counted. */
export const MAX_RECORDED_EVENTS = 2000;
/** Bytes of event data a stream keeps for its result (and queues unconsumed): memory stays bounded on huge streams. */
export const MAX_RETAINED_EVENT_BYTES = 4 * 1024 * 1024;
/**
 * Events waiting for a consumer that does not iterate (a secondary guard: the byte cap already bounds a stream); beyond
 * this they are dropped from live delivery and counted.
 */
export const MAX_PENDING_EVENTS = 10_000;
export const DEFAULT_MAX_EXCHANGES = 1000;

/** Cuts a string to at most `cap` UTF-8 bytes on a character boundary. */
export function capUtf8(s: string, cap: number): { text: string; cut: boolean } {
  if (s.length <= cap / 4 || Buffer.byteLength(s, 'utf8') <= cap) return { text: s, cut: false };
  // The first `cap` bytes of the encoding come from the first `cap` code units (one more keeps a surrogate pair
  // whole): encoding only those never copies a huge string to cut a small preview from it.
  let text = Buffer.from(s.length > cap + 1 ? s.slice(0, cap + 1) : s, 'utf8')
    .subarray(0, cap)
    .toString('utf8');
  if (text.endsWith('\uFFFD') && !s.startsWith(text)) text = text.slice(0, -1);
  return { text, cut: true };
}
