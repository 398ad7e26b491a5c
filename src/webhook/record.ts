/**
 * Webhook deliveries as transcript evidence: each inbound request becomes an Exchange (request = what the agent
 * POSTed, response = our 200) in the transcript of the check that owns the endpoint.
 *
 * Redaction: target secrets (targets.yaml credentials) are removed everywhere, as for outbound traffic. Credential
 * headers (Authorization, X-A2A-Notification-Token, ...) are kept only when they carry a token the harness generated
 * for this endpoint (ours, and the evidence the push checks judge); any other value in such a header is replaced.
 */
import { REDACTED, isSensitiveHeader, type Redactor } from '../http/redact.js';
import type { Exchange, Transcript } from '../http/types.js';
import { TRANSCRIPT_BODY_CAP, capUtf8 } from '../http/limits.js';
import type { WebhookDelivery } from './receiver.js';

export function redactDeliveryHeaders(
  headers: Record<string, string>,
  redact: Redactor,
  ours: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    const value = redact(String(v));
    out[name] = isSensitiveHeader(name) && !ours.some((t) => t && value.includes(t)) ? REDACTED : value;
  }
  return out;
}

/** Append one delivery to a transcript. `startedAt` is ms since the transcript started. */
export function recordDelivery(
  transcript: Transcript,
  d: WebhookDelivery,
  opts: { url: string; redact: Redactor; ours: readonly string[]; startedAt: number },
): Exchange {
  const body = capUtf8(opts.redact(d.body), TRANSCRIPT_BODY_CAP);
  const exchange: Exchange = {
    seq: transcript.exchanges.length + 1,
    label: `webhook ← agent: ${d.method} delivery #${d.seq}`,
    request: {
      method: d.method,
      url: opts.redact(opts.url),
      headers: redactDeliveryHeaders(d.headers, opts.redact, opts.ours),
      ...(d.bytes > 0 ? { body: { text: body.text, bytes: d.bytes, truncated: d.truncated || body.cut } } : {}),
    },
    // Our answer (200 "{}"): headers only, so audits counting agent documents do not count it.
    response: { status: 200, headers: { 'content-type': 'application/json' } },
    startedAt: Math.max(0, Math.round(opts.startedAt)),
    durationMs: 0,
  };
  transcript.exchanges.push(exchange);
  return exchange;
}
