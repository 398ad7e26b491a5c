/**
 * Suite "wire": audits every document the target sent during the other checks of a cell against the version's
 * schema (adapters validate each response and SSE event and record findings on the exchange). Runs last.
 */
import { suite } from './suite.js';
import { HTTP_BINDINGS } from '../../src/core/types.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';
import { snakeCaseKeys } from '../lib/camel-case.js';

/** Statuses an authentication layer answers with; their bodies are not judged as A2A documents. */
const AUTH_STATUSES = new Set([401, 403]);

export const wireSchema = suite.check({
  id: 'wire.schema.valid',
  level: 'MUST',
  phase: 'post',
  title: 'Every response and stream event the target sent is valid for its version',
  requirement:
    'Responses MUST use the data structures of the protocol version: 0.3 JSON-RPC objects with kind and ' +
    'lowercase enums, 0.3 HTTP+JSON ProtoJSON of proto-0.3, 1.0 ProtoJSON of a2a.proto (camelCase, ' +
    'TASK_STATE_*/ROLE_* enums, no kind).',
  stance:
    'HTTP 401/403 answers are left to the auth suite: an authentication layer in front of the agent (a ' +
    "gateway) may answer with a body of its own, which says nothing about the agent's A2A documents. The 1.0 " +
    'schema states 1.0.1; on spec profile 1.0.0 the shape of JSON-RPC error.data (an array of "@type" objects, ' +
    'a 1.0.1 rule judged by errors.details.typed) is noted, not judged.',
  specRefs: {
    '0.3': [
      { section: '3.2.1', req: 'S03-09' },
      { section: '11.1.5', req: 'S03-14' },
      { section: '3.2.3', req: 'S03-35' },
    ],
    '1.0': [
      { section: '5.7', req: 'S10-x04' },
      { section: '5.5', req: 'S10-06' },
      { section: '1.4', req: 'S10-06' },
    ],
  },
  async run(ctx) {
    const all = ctx.cellExchanges();
    if (all.length === 0) return ctx.skip('no other check of this cell exchanged messages');
    let documents = 0;
    let authAnswers = 0;
    for (const { checkId, exchange } of all) {
      // A 401/403 is the answer of whatever authenticates in front of the agent (often a gateway with a JSON body
      // of its own), not an A2A response: the auth suite judges it.
      if (AUTH_STATUSES.has(exchange.response?.status ?? 0)) {
        authAnswers++;
        continue;
      }
      if (exchange.invalidRequest) continue; // a deliberately invalid request: its check judges the answer
      if (exchange.response?.body) documents++;
      documents += exchange.response?.events?.length ?? 0;
      reportSchemaErrors(ctx, exchange.schemaErrors ?? [], {
        prefix: `[${checkId}] ${exchange.label}:`,
        cap: Infinity,
      });
      (exchange.response?.events ?? []).forEach((ev, i) => {
        reportSchemaErrors(ctx, ev.schemaErrors ?? [], {
          prefix: `[${checkId}] ${exchange.label}, event ${i}:`,
          cap: Infinity,
        });
      });
    }
    if (authAnswers) ctx.note(`${authAnswers} HTTP 401/403 answer(s) left to the auth suite`);
    ctx.metric('documentsValidated', documents);
    ctx.note(`${documents} documents from ${new Set(all.map((a) => a.checkId)).size} checks validated`);
  },
});

export const camelCase = suite.check({
  id: 'wire.json.camel-case',
  level: 'MUST',
  phase: 'post',
  title: '1.0: every member name in responses and stream events is camelCase',
  requirement:
    'All JSON serializations of the A2A protocol data model MUST use camelCase naming for field names, not the ' +
    'snake_case convention of the Protocol Buffer definitions (optional members included: context_id, ' +
    'history_length, reference_task_ids …).',
  stance:
    'Free-form values (metadata, DataPart data, extension params, error details, OAuth scopes) and the names of ' +
    "security schemes are the owner's, not protocol field names: they are not audited. Only responses to 1.0 " +
    'requests are judged (the cell also records 0.3 negotiation probes).',
  specRefs: { '1.0': [{ section: '5.5', req: 'S10-06' }] },
  async run(ctx) {
    const v10 = ctx
      .cellExchanges()
      .filter(({ exchange }) => (exchange.request.headers['a2a-version'] ?? '').startsWith('1.0'));
    let documents = 0;
    const seen = new Set<string>();
    for (const { checkId, exchange } of v10) {
      // An auth layer's answer, or the answer to a deliberately invalid request (see wire.schema.valid).
      if (AUTH_STATUSES.has(exchange.response?.status ?? 0) || exchange.invalidRequest) continue;
      const docs: [string, string][] = [];
      if (exchange.response?.body?.text && !exchange.response.events) docs.push(['', exchange.response.body.text]);
      (exchange.response?.events ?? []).forEach((ev, i) => docs.push([`, event ${i}`, ev.data]));
      for (const [where, text] of docs) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          continue;
        }
        documents++;
        for (const k of snakeCaseKeys(json)) {
          if (seen.has(k.key)) continue;
          seen.add(k.key);
          ctx.violated(`[${checkId}] ${exchange.label}${where}: member "${k.key}" is snake_case`, {
            path: k.path,
            expected: k.camel,
            actual: k.key,
          });
        }
      }
    }
    if (documents === 0) return ctx.skip('no 1.0 JSON response or event was recorded in this cell');
    ctx.note(`${documents} documents audited for camelCase member names`);
  },
});

/** Every recorded non-stream response of the cell that carried a body, with the check that made it. */
function bodies(ctx: Parameters<typeof wireSchema.run>[0]) {
  return ctx.cellExchanges().filter(({ exchange }) => exchange.response?.body?.text && !exchange.response.events);
}

/**
 * REST media type per spec profile: 1.0.1 §11.1 moved to application/a2a+json (SHOULD); 1.0.0 §11.1 said
 * application/json.
 */
const REST_MEDIA_TYPE = {
  '1.0.0': ['application/json', 'application/a2a+json'],
  '1.0.1': ['application/a2a+json'],
} as const;

export const restContentType = suite.check({
  id: 'wire.rest.content-type',
  level: 'SHOULD',
  phase: 'post',
  bindings: ['rest'],
  title: 'HTTP+JSON responses use the A2A media type of the spec profile',
  requirement:
    'HTTP+JSON requests and responses SHOULD use Content-Type application/a2a+json (1.0.1 §11.1; the 1.0.0 ' +
    'text named application/json, accepted under specProfile "1.0.0").',
  specRefs: {
    '1.0': [
      { section: '11.1', req: 'S10-41', note: 'changed in 1.0.1' },
      { section: '14.1', req: 'S10-41' },
    ],
  },
  async run(ctx) {
    const allowed: readonly string[] = REST_MEDIA_TYPE[ctx.target.specProfile];
    const seen = new Map<string, string>();
    // Only 1.0 requests are judged: negotiation probes in this cell also send 0.3 (header-less) requests.
    const v10 = bodies(ctx).filter(({ exchange }) => (exchange.request.headers['a2a-version'] ?? '').startsWith('1.0'));
    if (v10.length === 0) return ctx.skip('no 1.0 HTTP+JSON response bodies were recorded in this cell');
    for (const { checkId, exchange } of v10) {
      const ct = (exchange.response!.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!/json/.test(ct) && !exchange.response!.body!.text.trim().startsWith('{')) continue;
      if (!allowed.includes(ct) && !seen.has(ct)) seen.set(ct, `[${checkId}] ${exchange.label}`);
    }
    for (const [ct, where] of seen)
      ctx.violated(`responses are labelled "${ct || '(none)'}" (first: ${where})`, {
        expected: allowed.join(' or '),
        actual: ct || '(none)',
      });
  },
});

export const rest03ContentType = suite.check({
  id: 'wire.rest-03.content-type',
  level: 'MUST',
  phase: 'post',
  bindings: ['rest'],
  title: '0.3 HTTP+JSON responses are labelled application/json',
  requirement: '0.3 HTTP+JSON: "Content-Type: MUST use application/json for request and response bodies."',
  stance:
    'Judged on responses that carry a JSON body (streams are text/event-stream, judged by ' +
    'stream.response.content-type); a charset parameter is accepted. 401/403 answers belong to the auth suite.',
  specRefs: { '0.3': [{ section: '3.2.3', req: 'S03-35' }] },
  async run(ctx) {
    const seen = new Map<string, string>();
    let judged = 0;
    for (const { checkId, exchange } of bodies(ctx)) {
      if (AUTH_STATUSES.has(exchange.response!.status) || /\/\.well-known\//.test(exchange.request.url)) continue;
      if (!exchange.response!.body!.text.trim().startsWith('{')) continue;
      judged++;
      const ct = (exchange.response!.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (ct !== 'application/json' && !seen.has(ct)) seen.set(ct, `[${checkId}] ${exchange.label}`);
    }
    if (judged === 0) return ctx.skip('no 0.3 HTTP+JSON response with a JSON body was recorded in this cell');
    for (const [ct, where] of seen)
      ctx.violated(`responses are labelled "${ct || '(none)'}" (first: ${where})`, {
        expected: 'application/json',
        actual: ct || '(none)',
      });
    if (!seen.size) ctx.note(`${judged} JSON responses labelled application/json`);
  },
});

export const utf8 = suite.check({
  id: 'wire.json.utf8',
  bindings: [...HTTP_BINDINGS],
  level: 'MUST',
  phase: 'post',
  title: 'JSON responses are UTF-8',
  requirement:
    'application/a2a+json content (and JSON in general, RFC 8259) MUST be encoded as UTF-8: no other charset ' +
    'may be declared, and bodies and stream event data must decode cleanly.',
  stance:
    'The harness sees decoded text: a body containing U+FFFD is reported as an invalid UTF-8 sequence, which ' +
    'a body that literally contains U+FFFD would also trigger.',
  specRefs: { '0.3': [{ section: '3.2.1', req: 'S03-11' }], '1.0': [{ section: '14.1.1', req: 'S10-48' }] },
  async run(ctx) {
    const all = bodies(ctx);
    // Stream events are JSON text too: a replacement character in their data is an invalid sequence as well.
    const events = ctx
      .cellExchanges()
      .flatMap(({ checkId, exchange }) =>
        (exchange.response?.events ?? []).map((ev, i) => ({ checkId, label: `${exchange.label}, event ${i}`, ev })),
      );
    for (const { checkId, label, ev } of events) {
      const at = ev.data.indexOf('\uFFFD');
      if (at >= 0)
        ctx.violated(`[${checkId}] ${label}: the event data holds an invalid UTF-8 sequence (decoded as U+FFFD)`, {
          expected: 'valid UTF-8',
          actual: ev.data.slice(Math.max(0, at - 40), at + 40),
        });
    }
    if (all.length === 0 && events.length === 0) return ctx.skip('no response bodies were recorded in this cell');
    for (const { checkId, exchange } of all) {
      const ct = exchange.response!.headers['content-type'] ?? '';
      const charset = /;\s*charset=("?)([^";]+)\1/i.exec(ct)?.[2]?.toLowerCase();
      if (charset && charset !== 'utf-8' && charset !== 'utf8')
        ctx.violated(`[${checkId}] ${exchange.label}: declared charset ${charset}`, {
          expected: 'utf-8 (or no charset)',
          actual: ct,
        });
      if (exchange.response!.body!.text.includes('\uFFFD'))
        ctx.violated(`[${checkId}] ${exchange.label}: the body holds an invalid UTF-8 sequence (decoded as U+FFFD)`, {
          expected: 'valid UTF-8',
          actual: exchange.response!.body!.text.slice(
            Math.max(0, exchange.response!.body!.text.indexOf('\uFFFD') - 40),
            exchange.response!.body!.text.indexOf('\uFFFD') + 40,
          ),
        });
    }
  },
});
