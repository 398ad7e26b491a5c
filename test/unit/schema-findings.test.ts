/**
 * Schema findings per spec profile (suites/lib/schema-findings.ts): the 1.0 schema states 1.0.1; on 1.0.0 the
 * array-of-"@type" shape of JSON-RPC error.data is not judged, while the ErrorInfo entry an A2A error carries still
 * is. Also gradedAt (src/checks/graded-at.ts), which grades a whole rule at a version's level.
 */
import { describe, expect, it } from 'vitest';
import type { CheckContext, Finding } from '../../src/checks/types.js';
import { gradedAt } from '../../src/checks/graded-at.js';
import type { Level } from '../../src/core/types.js';
import { validateWire } from '../../src/schemas/validate.js';
import { profileFindings } from '../../suites/lib/schema-findings.js';

const ERROR_INFO = { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'TASK_NOT_FOUND', domain: 'a2a' };
const rpcError = (data: unknown) => ({ jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'gone', data } });

describe('profileFindings', () => {
  it('leaves untyped error.data unjudged on 1.0.0 and judges it on 1.0.1', () => {
    for (const data of [{ method: 'foo' }, [ERROR_INFO, { hint: 'untyped' }], [ERROR_INFO, 'text']]) {
      const errors = validateWire('1.0', 'JsonRpcResponse', rpcError(data));
      expect(errors.length).toBeGreaterThan(0);
      const v100 = profileFindings('1.0', '1.0.0', errors);
      expect(v100.judged).toEqual([]);
      expect(v100.exempt.map((x) => x.error)).toEqual(errors);
      expect(profileFindings('1.0', '1.0.1', errors).judged).toEqual(errors);
    }
  });

  it('still judges an incomplete ErrorInfo entry on 1.0.0', () => {
    const errors = validateWire('1.0', 'JsonRpcResponse', rpcError([{ '@type': ERROR_INFO['@type'], reason: 'x' }]));
    expect(errors.map((e) => e.path).sort()).toEqual(['/error/data/0/domain', '/error/data/0/reason']);
    expect(profileFindings('1.0', '1.0.0', errors).judged).toEqual(errors);
  });

  it('does not touch REST error details or 0.3 documents', () => {
    const rest = validateWire('1.0', 'RestError', {
      error: { code: 404, status: 'NOT_FOUND', message: 'gone', details: [ERROR_INFO, { hint: 'untyped' }] },
    });
    expect(rest.length).toBeGreaterThan(0);
    expect(profileFindings('1.0', '1.0.0', rest).judged).toEqual(rest);
    const fake = [{ path: '/error/data', message: 'x', schema: '1.0#/$defs/ErrorDetails' }];
    expect(profileFindings('0.3', '1.0.0', fake).judged).toEqual(fake);
  });
});

describe('gradedAt', () => {
  function recorder(level: Level): { ctx: CheckContext; findings: Finding[] } {
    const findings: Finding[] = [];
    const ctx = {
      check: { level },
      version: '0.3',
      violated: (message: string) => findings.push({ kind: 'violation', message }),
      violatedAt: (l: Level, message: string) => findings.push({ kind: 'violation', message, level: l }),
      note(this: { version: string }, message: string) {
        findings.push({ kind: 'note', message: `${this.version}: ${message}` });
      },
    } as unknown as CheckContext;
    return { ctx, findings };
  }

  it('routes violated and expect through violatedAt at the given level, and keeps everything else', () => {
    const { ctx, findings } = recorder('MUST');
    const g = gradedAt(ctx, 'SHOULD');
    g.violated('a');
    expect(g.expect(false, 'b')).toBe(false);
    expect(g.expect(true, 'c')).toBe(true);
    g.note('d');
    expect(g.version).toBe('0.3');
    expect(findings).toEqual([
      { kind: 'violation', message: 'a', level: 'SHOULD' },
      { kind: 'violation', message: 'b', level: 'SHOULD' },
      { kind: 'note', message: '0.3: d' },
    ]);
  });

  it('is the context itself at the check level', () => {
    const { ctx } = recorder('MUST');
    expect(gradedAt(ctx, 'MUST')).toBe(ctx);
  });
});
