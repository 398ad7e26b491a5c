/**
 * Suite "errors", JSON-RPC envelope: malformed and invalid requests, standard codes, id echo, result XOR error,
 * content type, and (informational) notifications and batches. 0.3 §6.11, §8.1, §3.2.1; 1.0 §9.1, §9.3, §9.5.
 * Every request here is raw (`ctx.client.raw`): the adapter never sends such bodies.
 */
import { randomInt } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext, CheckDefinition } from '../../src/checks/types.js';
import type { Binding, ProtocolVersion, SpecRef } from '../../src/core/types.js';
import { isTransportError } from '../../src/http/transport-error.js';
import type { A2AErrorName } from '../../src/protocol/model.js';
import { ERROR_CODES } from '../../src/protocol/errors.js';
import { describeError } from '../lib/expect-error.js';
import { ordinaryMessage } from '../lib/tasks.js';
import {
  cellInterface,
  decodeRaw,
  describeProbe,
  isObj,
  observe,
  probeId,
  type Obj,
  type ProbeResult,
} from '../lib/probe.js';

const JSONRPC = { bindings: ['jsonrpc'] as Binding[] };

/** A valid SendMessage envelope for this cell (the adapter's own encoding), with a fresh id. */
function sendEnvelope(ctx: CheckContext, id: unknown = probeId()): Obj {
  const env = ctx.client.encodeMessage(ordinaryMessage(ctx)) as Obj;
  return { ...env, id };
}

/** A GetTask envelope for a task id that does not exist (an error response every agent must give). */
function unknownTaskEnvelope(ctx: CheckContext, id: unknown = probeId()): Obj {
  const tenant = ctx.version === '1.0' ? cellInterface(ctx)?.tenant : undefined;
  return {
    jsonrpc: '2.0',
    id,
    method: ctx.client.describe('get'),
    params: { id: `conformance-missing-${probeId('task')}`, ...(tenant ? { tenant } : {}) },
  };
}

async function post(ctx: CheckContext, body: unknown, label: string): Promise<ProbeResult> {
  return decodeRaw(await ctx.client.raw({ method: 'POST', body, label }), 'jsonrpc');
}

/** Judge a probe that must be one standard JSON-RPC error. Returns true when it is. */
function expectCode(ctx: CheckContext, p: ProbeResult, name: A2AErrorName, what: string): boolean {
  const code = ERROR_CODES[name]!;
  if (!p.envelope) {
    ctx.violated(`${what}: the answer is not a JSON-RPC response (${describeProbe(p)})`, {
      expected: `JSON-RPC error ${code}`,
      actual: p.res.text.slice(0, 300) || `HTTP ${p.res.status}, empty body`,
    });
    return false;
  }
  if (!p.error) {
    ctx.violated(`${what}: expected error ${code} (${name}), but the request succeeded`, {
      expected: `error.code ${code}`,
      actual: 'result' in p.envelope ? 'a result' : 'neither result nor error',
    });
    return false;
  }
  return ctx.expect(p.error.code === code, `${what}: expected error ${code} (${name}), got ${describeError(p.error)}`, {
    expected: code,
    actual: p.error.code ?? '(no numeric code)',
  });
}

// ---------------------------------------------------------------------------------------------------------------

export const parseError = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.parse-error',
  level: 'MUST',
  title: 'Invalid JSON gets -32700 with id null',
  requirement:
    'A body that is not well-formed JSON MUST be answered with JSON-RPC error -32700 (parse error); the ' +
    'response id MUST be null because the request id could not be read.',
  specRefs: {
    '0.3': [
      { section: '6.11.2', req: 'S03-10' },
      { section: '8.1', req: 'S03-10' },
    ],
    '1.0': [
      { section: '9.5', req: 'S10-39' },
      { section: '9.3', req: 'S10-39' },
    ],
  },
  async run(ctx) {
    const p = await post(ctx, '{"jsonrpc":"2.0","id":"conformance-parse","method":"', 'malformed JSON body');
    if (!expectCode(ctx, p, 'JSONParseError', 'malformed JSON')) return;
    ctx.expect(p.envelope!.id === null, `the parse-error response carries id ${JSON.stringify(p.envelope!.id)}`, {
      path: '/id',
      expected: null,
      actual: p.envelope!.id === undefined ? '(absent)' : p.envelope!.id,
    });
  },
});

/** Valid JSON that is not a valid JSON-RPC Request object (JSON-RPC 2.0 §4, §5.1 -32600). */
const INVALID_REQUESTS: { label: string; mutate: (env: Obj) => Obj }[] = [
  { label: 'jsonrpc "1.0"', mutate: (e) => ({ ...e, jsonrpc: '1.0' }) },
  { label: 'no jsonrpc member', mutate: ({ jsonrpc: _j, ...rest }) => rest },
  { label: 'no method member', mutate: ({ method: _m, ...rest }) => rest },
  { label: 'method is a number', mutate: (e) => ({ ...e, method: 42 }) },
];

export const invalidRequest = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.invalid-request',
  level: 'MUST',
  title: 'Valid JSON that is not a JSON-RPC request gets -32600',
  requirement:
    'A request object that is valid JSON but not a valid JSON-RPC 2.0 Request (jsonrpc not exactly "2.0", ' +
    'method missing or not a string) MUST be answered with -32600 (Invalid Request); the id is echoed, or ' +
    'null if it could not be determined.',
  specRefs: {
    '0.3': [
      { section: '6.11.1', req: 'S03-09' },
      { section: '8.1', req: 'S03-09' },
    ],
    '1.0': [
      { section: '9.5', req: 'S10-39' },
      { section: '9.3', req: 'S10-39' },
    ],
  },
  async run(ctx) {
    for (const c of INVALID_REQUESTS) {
      const id = probeId();
      const p = await post(ctx, c.mutate(sendEnvelope(ctx, id)), `invalid request: ${c.label}`);
      if (!expectCode(ctx, p, 'InvalidRequest', c.label)) continue;
      const got = p.envelope!.id;
      ctx.expect(got === id || got === null, `${c.label}: the error response carries id ${JSON.stringify(got)}`, {
        path: '/id',
        expected: `${JSON.stringify(id)} or null`,
        actual: got === undefined ? '(absent)' : got,
      });
    }
  },
});

export const paramsNotStructured = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.params-not-structured',
  level: 'MUST',
  title: 'params that is not a structured value gets -32600',
  requirement:
    'JSON-RPC 2.0: params, if present, MUST be a structured value (A2A: an object); a request whose params ' +
    'is a string is not a valid Request object and gets -32600.',
  stance:
    'JSON-RPC 2.0 makes a primitive `params` an invalid Request (-32600), but -32602 "Invalid params" is a ' +
    'defensible reading and what the SDKs answer; -32602 is a warning, any other answer a failure.',
  specRefs: {
    '0.3': [
      { section: '6.11.1', req: 'S03-09' },
      { section: '8.1', req: 'S03-15' },
    ],
    '1.0': [
      { section: '9.3', req: 'S10-39' },
      { section: '9.5', req: 'S10-39' },
    ],
  },
  async run(ctx) {
    const p = await post(ctx, { ...sendEnvelope(ctx), params: 'hello' }, 'params is a string');
    if (p.error?.code === ERROR_CODES.InvalidParams) {
      ctx.ambiguous(
        'params "hello" was answered with -32602 (Invalid params), not -32600 (Invalid Request)',
        'JSON-RPC 2.0 makes a non-structured params an invalid Request, but -32602 also describes it',
        { expected: -32600, actual: -32602 },
      );
      return;
    }
    expectCode(ctx, p, 'InvalidRequest', 'params is a string');
  },
});

/** A method name that exists in neither version (per-version spelling, so it cannot collide with a real one). */
const UNKNOWN_METHOD: Record<ProtocolVersion, string> = {
  '0.3': 'tasks/conformanceUnknownMethod',
  '1.0': 'ConformanceUnknownMethod',
};

export const methodNotFound = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.method-not-found',
  level: 'MUST',
  title: 'An unknown method gets -32601',
  requirement: 'A method that does not exist MUST be answered with -32601 (Method not found).',
  specRefs: {
    '0.3': [
      { section: '3.5.4', req: 'S03-12' },
      { section: '8.1', req: 'S03-12' },
    ],
    '1.0': [
      { section: '9.5', req: 'S10-39' },
      { section: '9.1', req: 'S10-39' },
    ],
  },
  async run(ctx) {
    const p = await post(
      ctx,
      { jsonrpc: '2.0', id: probeId(), method: UNKNOWN_METHOD[ctx.version], params: {} },
      `unknown method ${UNKNOWN_METHOD[ctx.version]}`,
    );
    expectCode(ctx, p, 'MethodNotFound', `method ${UNKNOWN_METHOD[ctx.version]}`);
  },
});

// ---- invalid params: one check per kind of bad input, so a report says which validation is missing

interface InvalidParamsCase {
  rule: string;
  title: string;
  requirement: string;
  versions: ProtocolVersion[];
  /** The valid request whose params are broken (default: SendMessage of an ordinary message). */
  envelope?: (ctx: CheckContext) => Obj;
  /** Break the params of the valid request. */
  mutate: (params: Obj, version: ProtocolVersion) => Obj;
  /**
   * Set where the spec contradicts itself on rejecting this input: a success is then a warning with this reason
   * (another error than -32602 still fails).
   */
  contested?: string;
}

/**
 * 1.0 §3.3.2 "Servers MUST validate all input parameters before processing" against §5.7 "Implementations SHOULD
 * validate these requirements and reject messages with missing required fields" (and "SHOULD ignore unrecognized
 * fields", which ProtoJSON parsers apply to unknown enum values too).
 */
const REQUIRED_FIELD_STANCE =
  '§3.3.2 says servers MUST validate all input, but §5.7 says implementations SHOULD validate required fields ' +
  'and reject messages missing them: accepting the message is a warning; another error than -32602 fails';

/** A role value outside the enum, spelled like the version's enum values. */
const BOGUS_ROLE: Record<ProtocolVersion, string> = { '0.3': 'robot', '1.0': 'ROLE_ROBOT' };

const withMessage = (params: Obj, change: (m: Obj) => Obj): Obj => ({
  ...params,
  message: change(isObj(params.message) ? params.message : {}),
});

const INVALID_PARAMS: InvalidParamsCase[] = [
  {
    rule: 'missing-message',
    title: 'SendMessage without a message gets -32602',
    versions: ['0.3', '1.0'],
    requirement:
      'Servers MUST validate all input parameters: a SendMessage/message/send request whose params lack the ' +
      'required `message` MUST be answered with -32602 (Invalid params).',
    mutate: ({ message: _m, ...rest }) => rest,
  },
  {
    rule: 'empty-parts',
    title: 'A message with an empty parts array gets -32602',
    versions: ['1.0'],
    requirement:
      'Message.parts is REQUIRED and required arrays MUST contain at least one element; servers MUST ' +
      'validate input, so a message with `parts: []` MUST be answered with -32602 (Invalid params).',
    mutate: (p) => withMessage(p, (m) => ({ ...m, parts: [] })),
    contested: REQUIRED_FIELD_STANCE,
  },
  {
    rule: 'wrong-enum',
    title: 'A message role outside the enum gets -32602',
    versions: ['0.3', '1.0'],
    requirement:
      'Servers MUST validate all input parameters: a message whose role is not a value of the Role enum MUST ' +
      'be answered with -32602 (Invalid params).',
    mutate: (p, v) => withMessage(p, (m) => ({ ...m, role: BOGUS_ROLE[v] })),
    contested: REQUIRED_FIELD_STANCE,
  },
  {
    rule: 'missing-message-id',
    title: 'A message without a messageId gets -32602',
    versions: ['0.3', '1.0'],
    requirement:
      'Message.messageId is REQUIRED (0.3 and 1.0) and servers MUST validate input parameters: a message ' +
      'without `messageId` MUST be answered with -32602 (Invalid params).',
    mutate: (p) =>
      withMessage(p, (m) => {
        const { messageId: _id, ...rest } = m;
        return rest;
      }),
    contested: REQUIRED_FIELD_STANCE,
  },
  {
    rule: 'get-task-without-id',
    title: 'GetTask / tasks/get without an id gets -32602',
    versions: ['0.3', '1.0'],
    requirement:
      'The task id of GetTask (1.0 GetTaskRequest.id, REQUIRED; 0.3 TaskQueryParams.id, required) is an input ' +
      'parameter servers MUST validate: a request without it MUST be answered with -32602 (Invalid params), ' +
      'not TaskNotFound (-32001), which would name a task that was never asked for.',
    envelope: (ctx) => unknownTaskEnvelope(ctx),
    mutate: ({ id: _id, ...rest }) => rest,
  },
  {
    rule: 'wrong-type',
    title: 'A message whose parts is a string gets -32602',
    versions: ['0.3', '1.0'],
    requirement:
      'Servers MUST validate all input parameters: a message whose `parts` is a string instead of an array ' +
      'MUST be answered with -32602 (Invalid params).',
    mutate: (p) => withMessage(p, (m) => ({ ...m, parts: 'hello' })),
  },
];

const INVALID_PARAMS_REFS: Record<ProtocolVersion, SpecRef[]> = {
  '0.3': [
    { section: '8.1', req: 'S03-15' },
    { section: '10.2', req: 'S03-15' },
  ],
  '1.0': [
    { section: '3.3.2', req: 'S10-09' },
    { section: '5.7', req: 'S10-09' },
    { section: '9.5', req: 'S10-39' },
  ],
};

function invalidParamsCheck(c: InvalidParamsCase): CheckDefinition {
  return suite.check({
    ...JSONRPC,
    id: `errors.jsonrpc.invalid-params.${c.rule}`,
    level: 'MUST',
    title: c.title,
    requirement: c.requirement,
    scenario: `errors.jsonrpc.invalid-params.${c.rule}`,
    specRefs: Object.fromEntries(c.versions.map((v) => [v, INVALID_PARAMS_REFS[v]])),
    ...(c.contested ? { stance: c.contested } : {}),
    async run(ctx) {
      const env = (c.envelope ?? sendEnvelope)(ctx);
      const p = await post(
        ctx,
        { ...env, params: c.mutate(isObj(env.params) ? env.params : {}, ctx.version) },
        `invalid params: ${c.rule}`,
      );
      const what = c.title.replace(/ gets -32602$/, '');
      if (c.contested && p.envelope && !p.error && 'result' in p.envelope) {
        ctx.ambiguous(`${what}: the request succeeded`, c.contested, {
          expected: `error.code ${ERROR_CODES.InvalidParams}`,
          actual: 'a result',
        });
        return;
      }
      expectCode(ctx, p, 'InvalidParams', what);
    },
  });
}

export const INVALID_PARAMS_CHECKS = INVALID_PARAMS.map(invalidParamsCheck);

// ---- response envelope rules

export const idEcho = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.id-echo',
  level: 'MUST',
  title: 'String and numeric request ids are echoed exactly, on results and on errors',
  requirement:
    'The response id MUST be the same value as the request id: a string id comes back as the same string, a ' +
    'number as the same number (not its string form), for successes and errors alike.',
  specRefs: {
    '0.3': [
      { section: '6.11.1', req: 'S03-09' },
      { section: '6.11.2', req: 'S03-09' },
    ],
    '1.0': [{ section: '9.3', req: 'S10-39' }],
  },
  async run(ctx) {
    const ids: { kind: string; id: string | number }[] = [
      { kind: 'string', id: probeId('conformance-id') },
      { kind: 'number', id: randomInt(1, 2 ** 31) },
    ];
    for (const { kind, id } of ids) {
      for (const [what, env] of [
        ['SendMessage result', sendEnvelope(ctx, id)],
        ['error response', unknownTaskEnvelope(ctx, id)],
      ] as const) {
        const p = await post(ctx, env, `${kind} id on ${what}`);
        if (!p.envelope) {
          ctx.violated(`${kind} id on ${what}: the answer is not a JSON-RPC response (${describeProbe(p)})`);
          continue;
        }
        const got = p.envelope.id;
        ctx.expect(
          got === id,
          `${kind} id ${JSON.stringify(id)} came back as ` +
            `${got === undefined ? '(absent)' : JSON.stringify(got)} on the ${what}`,
          { path: '/id', expected: id, actual: got === undefined ? '(absent)' : got },
        );
      }
    }
  },
});

export const resultXorError = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.result-xor-error',
  level: 'MUST',
  title: 'Every response has jsonrpc "2.0" and exactly one of result and error',
  requirement:
    'A JSON-RPC response MUST carry jsonrpc "2.0" and exactly one of `result` (on success) and `error` (on ' +
    'failure); the other member MUST NOT exist. `error` is an object with a numeric code and a string ' +
    'message.',
  specRefs: {
    '0.3': [
      { section: '6.11.2', req: 'S03-09' },
      { section: '6.12', req: 'S03-09' },
    ],
    '1.0': [
      { section: '9.3', req: 'S10-39' },
      { section: '9.5', req: 'S10-37' },
    ],
  },
  async run(ctx) {
    const probes: [string, Obj][] = [
      ['a successful SendMessage', sendEnvelope(ctx)],
      ['GetTask of an unknown task', unknownTaskEnvelope(ctx)],
      ['an unknown method', { jsonrpc: '2.0', id: probeId(), method: UNKNOWN_METHOD[ctx.version], params: {} }],
    ];
    for (const [what, env] of probes) {
      const p = await post(ctx, env, what);
      const e = p.envelope;
      if (!e) {
        ctx.violated(`${what}: the answer is not a JSON-RPC response (${describeProbe(p)})`);
        continue;
      }
      const members = ['result', 'error'].filter((k) => k in e);
      ctx.expect(
        members.length === 1,
        `${what}: the response has ${members.length === 0 ? 'neither result nor error' : 'both result and error'}`,
        { expected: 'exactly one of result, error', actual: members.length ? members.join(' + ') : '(neither)' },
      );
      ctx.expect(e.jsonrpc === '2.0', `${what}: jsonrpc is ${JSON.stringify(e.jsonrpc)}`, {
        path: '/jsonrpc',
        expected: '2.0',
        actual: e.jsonrpc ?? '(absent)',
      });
      if ('error' in e) {
        const err = e.error;
        ctx.expect(
          isObj(err) && typeof err.code === 'number' && Number.isInteger(err.code),
          `${what}: error.code is not an integer`,
          { path: '/error/code', expected: 'integer', actual: isObj(err) ? err.code : err },
        );
        ctx.expect(isObj(err) && typeof err.message === 'string', `${what}: error.message is not a string`, {
          path: '/error/message',
          expected: 'string',
          actual: isObj(err) ? (err.message ?? '(absent)') : err,
        });
      }
    }
  },
});

const isJsonMediaType = (ct: string | undefined) =>
  (ct ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/json';

export const contentType = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.content-type',
  level: 'MUST',
  title: 'JSON-RPC responses are application/json, errors included',
  requirement:
    'The JSON-RPC binding uses Content-Type: application/json for requests and (non-streaming) responses, ' +
    'error responses included.',
  specRefs: { '0.3': [{ section: '3.2.1', req: 'S03-11' }], '1.0': [{ section: '9.1', req: 'S10-39' }] },
  async run(ctx) {
    const probes: [string, unknown][] = [
      ['a successful SendMessage', sendEnvelope(ctx)],
      ['GetTask of an unknown task', unknownTaskEnvelope(ctx)],
      ['malformed JSON', '{"jsonrpc":'],
    ];
    for (const [what, body] of probes) {
      const p = await post(ctx, body, what);
      const ct = p.res.headers['content-type'];
      ctx.expect(isJsonMediaType(ct), `${what}: Content-Type is ${ct ?? '(absent)'}`, {
        expected: 'application/json',
        actual: ct ?? '(absent)',
      });
    }
  },
});

// ---- informational: what JSON-RPC 2.0 defines and A2A leaves open

async function tolerant(ctx: CheckContext, body: unknown, label: string): Promise<ProbeResult | string> {
  try {
    return await post(ctx, body, label);
  } catch (e) {
    if (isTransportError(e)) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

export const notification = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.notification',
  level: 'MAY',
  title: 'What a request without id (a JSON-RPC notification) gets',
  requirement:
    'A request without id is a JSON-RPC notification. A2A defines the term but nothing else; JSON-RPC 2.0 ' +
    'says the server does not reply. Either no reply or a well-formed JSON-RPC response is fine; anything ' +
    'else is reported.',
  stance: 'A2A does not specify notifications (wire-formats §3.1): never a failure, only information.',
  specRefs: { '0.3': [{ section: '6.11.1', req: 'S03-09' }], '1.0': [{ section: '9.3', req: 'S10-39' }] },
  async run(ctx) {
    const { id: _id, ...env } = sendEnvelope(ctx);
    const p = await tolerant(ctx, env, 'notification (no id)');
    if (typeof p === 'string') {
      observe(ctx, `the notification got no HTTP answer (${p})`);
      return;
    }
    if (p.res.text.trim() === '' && p.res.status < 300) {
      ctx.note(`no response body (HTTP ${p.res.status}), as JSON-RPC 2.0 prescribes for notifications`);
      return;
    }
    if (p.envelope && ('result' in p.envelope || 'error' in p.envelope)) {
      ctx.note(
        `the server answered the notification like a request: ${describeProbe(p)}, id ` +
          `${JSON.stringify(p.envelope.id)} (JSON-RPC 2.0 says notifications get no reply; A2A leaves it open)`,
      );
      return;
    }
    observe(
      ctx,
      `the notification was answered with something other than a JSON-RPC response or an empty body: ` +
        `${describeProbe(p)}`,
    );
  },
});

export const batch = suite.check({
  ...JSONRPC,
  id: 'errors.jsonrpc.batch',
  level: 'MAY',
  title: 'What a batch (JSON array of requests) gets',
  requirement:
    'A2A does not mention JSON-RPC batches. A server either processes them (an array of responses with ' +
    'matching ids) or rejects them with one JSON-RPC error (typically -32600, id null); anything else is ' +
    'reported.',
  stance: 'Batches are outside A2A (wire-formats §3.1): never a failure, only information.',
  specRefs: { '0.3': [{ section: '6.11.1', req: 'S03-09' }], '1.0': [{ section: '9.3', req: 'S10-39' }] },
  async run(ctx) {
    const a = sendEnvelope(ctx);
    const b = unknownTaskEnvelope(ctx);
    const p = await tolerant(ctx, [a, b], 'batch of two requests');
    if (typeof p === 'string') {
      observe(ctx, `the batch got no HTTP answer (${p})`);
      return;
    }
    const json = p.res.json;
    if (Array.isArray(json)) {
      const ids = json.filter(isObj).map((r) => r.id);
      const complete = ids.length === 2 && ids.includes(a.id) && ids.includes(b.id);
      if (complete) ctx.note('the server processes batches: one response per request, ids matched');
      else
        observe(
          ctx,
          `the batch was answered with an array that does not match the two requests (ids ${JSON.stringify(ids)})`,
        );
      return;
    }
    if (p.error) {
      ctx.note(
        `the server rejects batches with one error: ${describeError(p.error)}, id ${JSON.stringify(p.envelope?.id)}`,
      );
      return;
    }
    observe(ctx, `the batch was answered with neither an array of responses nor a JSON-RPC error: ${describeProbe(p)}`);
  },
});
