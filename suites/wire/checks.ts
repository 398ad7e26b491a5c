/**
 * Suite "wire": audits every document the target sent during the other checks of a cell against the version's
 * schema (adapters validate each response and SSE event and record findings on the exchange). Runs last.
 */
import { defineCheck } from '../../src/checks/registry.js';

export const wireSchema = defineCheck({
  id: 'wire.schema.valid', suite: 'wire', scope: 'binding', level: 'MUST', phase: 'post',
  title: 'Every response and stream event the target sent is valid for its version',
  requirement: 'Responses MUST use the data structures of the protocol version: 0.3 JSON-RPC objects with kind and lowercase enums, 0.3 HTTP+JSON ProtoJSON of proto-0.3, 1.0 ProtoJSON of a2a.proto (camelCase, TASK_STATE_*/ROLE_* enums, no kind).',
  specRefs: { '0.3': [{ section: '11.1.5', req: 'S03-14' }, { section: '3.2.3', req: 'S03-35' }], '1.0': [{ section: '5.5', req: 'S10-06' }, { section: '1.4', req: 'S10-06' }] },
  async run(ctx) {
    const all = ctx.cellExchanges();
    if (all.length === 0) return ctx.skip('no other check of this cell exchanged messages');
    let documents = 0;
    for (const { checkId, exchange } of all) {
      if (exchange.response?.body) documents++;
      documents += exchange.response?.events?.length ?? 0;
      for (const e of exchange.schemaErrors ?? []) ctx.violated(`[${checkId}] ${exchange.label}: ${e.path || '/'} ${e.message}`, { path: e.path, expected: e.expected ?? e.schema, actual: e.actual });
      (exchange.response?.events ?? []).forEach((ev, i) => {
        for (const e of ev.schemaErrors ?? []) ctx.violated(`[${checkId}] ${exchange.label}, event ${i}: ${e.path || '/'} ${e.message}`, { path: e.path, expected: e.expected ?? e.schema, actual: e.actual });
      });
    }
    ctx.metric('documentsValidated', documents);
    ctx.note(`${documents} documents from ${new Set(all.map((a) => a.checkId)).size} checks validated`);
  },
});

export const WIRE_CHECKS = [wireSchema];
