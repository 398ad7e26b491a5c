/** errors.validation.field-violations: the judging helper accepts each legitimate form and names each defect. */
import { describe, expect, it } from 'vitest';
import {
  BAD_REQUEST_TYPE,
  BROKEN_FIELD,
  badRequestsIn,
  judgeFieldViolations,
  namesParameter,
} from '../../suites/errors/field-violations.js';

const errorInfo = { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_PARAMS', domain: 'x' };
const badRequest = (...fields: string[]) => ({
  '@type': BAD_REQUEST_TYPE,
  fieldViolations: fields.map((field) => ({ field, description: `${field} is required` })),
});

describe('judgeFieldViolations', () => {
  it.each([
    ['the example form', [badRequest('message.messageId')]],
    ['after an ErrorInfo', [errorInfo, badRequest('message.messageId')]],
    ['snake_case field path', [badRequest('message.message_id')]],
    ['bare field name', [badRequest('messageId')]],
    ['among other violations', [badRequest('message.parts', 'message.messageId')]],
    ['field_violations spelling', [{ '@type': BAD_REQUEST_TYPE, field_violations: [{ field: 'messageId' }] }]],
    ['type URL without the host', [{ '@type': 'google.rpc.BadRequest', fieldViolations: [{ field: 'messageId' }] }]],
  ])('accepts a BadRequest naming the parameter: %s', (_what, details) => {
    for (const profile of ['1.0.0', '1.0.1'] as const)
      expect(judgeFieldViolations({ details, message: 'Invalid params' }, BROKEN_FIELD, profile).ok).toBe(true);
  });

  it('1.0.0: a message naming the parameter is enough; 1.0.1 also wants the BadRequest', () => {
    const e = { details: [errorInfo], message: 'message.messageId is required' };
    expect(judgeFieldViolations(e, BROKEN_FIELD, '1.0.0').ok).toBe(true);
    const v = judgeFieldViolations(e, BROKEN_FIELD, '1.0.1');
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problem).toMatch(/only the error message names the parameter/);
  });

  it.each([
    ['neither message nor details name it', { details: [errorInfo], message: 'Invalid params' }, /neither/],
    ['another field', { details: [badRequest('message.parts')], message: 'bad' }, /name message\.parts, not/],
    ['an empty BadRequest', { details: [{ '@type': BAD_REQUEST_TYPE }], message: 'bad' }, /no fieldViolations/],
    ['no details at all', { message: 'Invalid params' }, /neither/],
  ])('reports %s under both profiles', (_what, e, problem) => {
    for (const profile of ['1.0.0', '1.0.1'] as const) {
      const v = judgeFieldViolations(e, BROKEN_FIELD, profile);
      expect(v.ok).toBe(false);
      expect(!v.ok && v.problem).toMatch(problem);
    }
  });
});

describe('badRequestsIn / namesParameter', () => {
  it('ignores untyped and non-object details and bounds what it reads', () => {
    expect(badRequestsIn([null, 'x', { fieldViolations: [{ field: 'a' }] }])).toEqual({ count: 0, violations: [] });
    const many = Array.from({ length: 100 }, () => badRequest('a'));
    expect(badRequestsIn(many).count).toBe(32);
  });

  it('matches the last path segment in any case or separator', () => {
    expect(namesParameter('MESSAGE_ID must be set', 'message.messageId')).toBe(true);
    expect(namesParameter('message.parts is required', 'message.messageId')).toBe(false);
  });
});
