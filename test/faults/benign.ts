/**
 * Benign variants: rewrites that keep the server conformant, each a legitimate choice the spec leaves open (or a
 * looser rule of one version or spec profile). The kill matrix runs them like faults and fails if any check FAILS
 * with one where the baseline did not fail (warnings are allowed: a SHOULD the variant gives up is still a warning).
 * They prove the other direction of "every check can fail": a check fails only when it should.
 */
import type { FaultCase } from '../tools/fault-case.js';
import { isObj, parseData, type Obj } from './index.js';

/** The `error` member of a JSON-RPC error response. */
const rpcError = (doc: unknown): Obj | undefined =>
  isObj(doc) && doc.jsonrpc === '2.0' && isObj(doc.error) ? doc.error : undefined;

export const FAULTS: FaultCase[] = [
  {
    name: 'benign-jsonrpc-error-without-error-info',
    benign: true,
    description:
      '1.0 JSON-RPC errors carry no `data` (no google.rpc.ErrorInfo): a SHOULD under spec profile 1.0.1 (§9.5), ' +
      'the matrix profile.',
    agent: 'v1',
    protocols: ['1.0'],
    bindings: ['jsonrpc'],
    kills: [],
    grep: ['errors.**', 'versions.**', 'tasks.**'],
    json: (body) => {
      const e = rpcError(body);
      if (!e || e.data === undefined) return undefined;
      delete e.data;
      return body;
    },
    sseEvent: (data) => {
      const doc = parseData(data);
      const e = rpcError(doc);
      if (!e || e.data === undefined) return undefined;
      delete e.data;
      return JSON.stringify(doc);
    },
  },
];
