/**
 * Wire and targets schemas (schemas/*.schema.json, compiled by scripts/build-schemas.mjs).
 * Run `node scripts/build-schemas.mjs` first.
 */
import { describe, expect, it } from 'vitest';
import { supportedWireTypes, validateTargetsDocument, validateWire } from '../../src/schemas/impl.js';
import type { SchemaError } from '../../src/http/types.js';
import type { WireProfile, WireType } from '../../src/schemas/validate.js';

const paths = (errors: SchemaError[]) => errors.map((e) => e.path);
const at = (errors: SchemaError[], path: string) => errors.filter((e) => e.path === path);

function expectValid(profile: WireProfile, type: WireType, doc: unknown) {
  const errors = validateWire(profile, type, doc);
  expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
}

/** Exactly one error at `path`, whose message matches. */
function expectOne(errors: SchemaError[], path: string, message: RegExp): SchemaError {
  const hits = at(errors, path);
  expect(hits, `errors: ${JSON.stringify(errors, null, 2)}`).toHaveLength(1);
  expect(hits[0].message).toMatch(message);
  return hits[0];
}

// ---------------------------------------------------------------------------------------------------------------
// 1.0 (ProtoJSON of lf.a2a.v1)
// ---------------------------------------------------------------------------------------------------------------

const task10 = () => ({
  id: 't-1',
  contextId: 'c-1',
  status: { state: 'TASK_STATE_COMPLETED', timestamp: '2025-10-28T10:30:00.000Z' },
  artifacts: [{ artifactId: 'a-1', parts: [{ text: '...' }] }],
  history: [{ role: 'ROLE_USER', messageId: 'm-1', parts: [{ text: 'tell me a joke' }] }],
});

const card10 = () => ({
  name: 'Recipe Agent',
  description: 'Helps with recipes',
  version: '1.0.0',
  supportedInterfaces: [
    { url: 'https://agent.example/a2a/jsonrpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    { url: 'https://agent.example/a2a/rest', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0', tenant: 't1' },
    { url: 'https://agent.example/a2a/jsonrpc', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
  ],
  provider: { url: 'https://example.com', organization: 'Example' },
  capabilities: {
    streaming: true,
    pushNotifications: false,
    extendedAgentCard: true,
    extensions: [{ uri: 'https://ext.example/v1', required: false, params: { a: 1 } }],
  },
  securitySchemes: {
    apiKey: { apiKeySecurityScheme: { location: 'header', name: 'X-API-Key' } },
    bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
    oauth: {
      oauth2SecurityScheme: {
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://a',
            tokenUrl: 'https://t',
            scopes: { read: 'Read' },
            pkceRequired: true,
          },
        },
      },
    },
    device: {
      oauth2SecurityScheme: {
        flows: { deviceCode: { deviceAuthorizationUrl: 'https://d', tokenUrl: 'https://t', scopes: { r: 'R' } } },
      },
    },
    oidc: { openIdConnectSecurityScheme: { openIdConnectUrl: 'https://id.example/.well-known/openid-configuration' } },
    mtls: { mtlsSecurityScheme: {} },
  },
  securityRequirements: [{ schemes: { oauth: { list: ['read'] } } }, { schemes: { apiKey: {}, mtls: {} } }],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain', 'application/json'],
  skills: [
    {
      id: 'recipes',
      name: 'Recipes',
      description: 'Finds recipes',
      tags: ['cooking'],
      examples: ['pasta?'],
      securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    },
  ],
  signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln', header: { kid: 'k1' } }],
  iconUrl: 'https://example.com/icon.png',
  documentationUrl: 'https://example.com/docs',
});

describe('1.0 valid documents', () => {
  it('SendMessage result (wire-formats §3.2)', () => {
    expectValid('1.0', 'SendMessageResult', {
      task: {
        id: 't-1',
        contextId: 'c-1',
        status: { state: 'TASK_STATE_COMPLETED', timestamp: '2025-10-28T10:30:00.000Z' },
        artifacts: [{ artifactId: 'a-1', parts: [{ text: '...' }] }],
      },
    });
    expectValid('1.0', 'SendMessageResult', {
      message: { role: 'ROLE_AGENT', messageId: 'm-2', parts: [{ text: 'hi' }] },
    });
  });

  it('Task, Message with every part kind, minimal Task with omitted defaults', () => {
    expectValid('1.0', 'Task', task10());
    expectValid('1.0', 'Task', { id: 't-2', status: { state: 'TASK_STATE_SUBMITTED' } });
    expectValid('1.0', 'Message', {
      role: 'ROLE_USER',
      messageId: 'm-1',
      contextId: 'c-1',
      referenceTaskIds: ['t-0'],
      extensions: ['https://ext.example/v1'],
      metadata: { 'https://ext.example/v1': { x: 1 } },
      parts: [
        { text: 'hello', mediaType: 'text/plain' },
        { raw: 'aGVsbG8=', mediaType: 'application/octet-stream', filename: 'hello.bin' },
        { url: 'https://files.example/a.pdf', mediaType: 'application/pdf', filename: 'a.pdf' },
        { data: { any: ['json'] }, mediaType: 'application/json' },
        { data: [1, 2, 3] },
        { data: 'a string is a google.protobuf.Value too', metadata: { m: true } },
      ],
    });
  });

  it('StreamResponse members; an extra `final` from a dual-version server is tolerated', () => {
    expectValid('1.0', 'StreamResponse', { task: task10() });
    expectValid('1.0', 'StreamResponse', { message: { role: 'ROLE_AGENT', messageId: 'm', parts: [{ text: 'x' }] } });
    expectValid('1.0', 'StreamResponse', {
      statusUpdate: { taskId: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_WORKING' }, final: false },
    });
    expectValid('1.0', 'StreamResponse', {
      artifactUpdate: {
        taskId: 't-1',
        contextId: 'c-1',
        artifact: { artifactId: 'a', parts: [{ text: 'chunk' }] },
        lastChunk: true,
      },
    });
  });

  it('AgentCard (with hybrid 0.3 fields)', () => {
    expectValid('1.0', 'AgentCard', card10());
    expectValid('1.0', 'AgentCard', {
      ...card10(),
      protocolVersion: '0.3.0',
      url: 'https://agent.example/a2a/jsonrpc',
      preferredTransport: 'JSONRPC',
      additionalInterfaces: [{ url: 'https://agent.example/a2a/rest', transport: 'HTTP+JSON' }],
      supportsAuthenticatedExtendedCard: true,
    });
  });

  it('JSON-RPC envelope and error with ErrorInfo / BadRequest details', () => {
    expectValid('1.0', 'JsonRpcResponse', { jsonrpc: '2.0', id: 1, result: { task: task10() } });
    expectValid('1.0', 'JsonRpcResponse', { jsonrpc: '2.0', id: 'abc', result: null });
    const error = {
      code: -32001,
      message: 'Task not found',
      data: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'TASK_NOT_FOUND',
          domain: 'a2a-protocol.org',
          metadata: { taskId: 'nonexistent-task-id' },
        },
      ],
    };
    expectValid('1.0', 'JsonRpcError', error);
    expectValid('1.0', 'JsonRpcResponse', { jsonrpc: '2.0', id: null, error });
    expectValid('1.0', 'JsonRpcError', {
      code: -32602,
      message: 'Invalid parameters',
      data: [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'message.parts', description: 'x' }],
        },
      ],
    });
    expectValid('1.0', 'JsonRpcError', { code: -32700, message: 'Invalid JSON payload' });
  });

  it('REST error (google.rpc.Status, 1.0 §11.6)', () => {
    expectValid('1.0', 'RestError', {
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: 'The specified task ID does not exist or is not accessible',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'TASK_NOT_FOUND',
            domain: 'a2a-protocol.org',
            metadata: { taskId: 'task-123', timestamp: '2025-11-09T10:30:00.000Z' },
          },
        ],
      },
    });
  });

  it('push configs and lists; ListTasksResponse with ProtoJSON-omitted defaults', () => {
    const cfg = {
      id: 'cfg-1',
      taskId: 't-1',
      url: 'https://hook.example/a2a',
      token: 'tok',
      authentication: { scheme: 'Bearer', credentials: 'x' },
    };
    expectValid('1.0', 'PushConfig', cfg);
    expectValid('1.0', 'PushConfigList', { configs: [cfg], nextPageToken: '' });
    expectValid('1.0', 'PushConfigList', {});
    expectValid('1.0', 'ListTasksResponse', { tasks: [task10()], nextPageToken: 'abc', pageSize: 1, totalSize: 3 });
    expectValid('1.0', 'ListTasksResponse', {});
  });
});

describe('1.0 invalid documents', () => {
  it('lowercase (0.3) task state', () => {
    const errors = validateWire('1.0', 'Task', { ...task10(), status: { state: 'completed' } });
    const e = expectOne(errors, '/status/state', /must be one of TASK_STATE_SUBMITTED, .*TASK_STATE_AUTH_REQUIRED/);
    expect(e.message).toMatch(/0\.3 JSON-RPC spelling/);
    expect(e.schema).toBe('1.0#/$defs/TaskState');
    expect(e.actual).toBe('"completed"');
    expect(e.expected).toContain('TASK_STATE_COMPLETED');
    expect(errors).toHaveLength(1);
  });

  it('integer enum value: one error, names required on output', () => {
    const errors = validateWire('1.0', 'Task', { id: 't', status: { state: 3 } });
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('/status/state');
    expect(errors[0].message).toMatch(/enum names, not numbers/);
  });

  it('proto-0.3 spelling TASK_STATE_CANCELLED', () => {
    const errors = validateWire('1.0', 'Task', { id: 't', status: { state: 'TASK_STATE_CANCELLED' } });
    expectOne(errors, '/status/state', /one L/);
  });

  it('`kind` anywhere on Message / Part / Task / events (S10-06)', () => {
    const msg = validateWire('1.0', 'Message', {
      kind: 'message',
      role: 'ROLE_USER',
      messageId: 'm',
      parts: [{ kind: 'text', text: 'x' }],
    });
    expect(paths(msg).sort()).toEqual(['/kind', '/parts/0/kind']);
    const e = expectOne(msg, '/kind', /^unexpected property 'kind' \(not part of 1\.0 ProtoJSON\)$/);
    expect(e.schema).toBe('1.0#/$defs/Message');
    expect(expectOne(msg, '/parts/0/kind', /unexpected property 'kind'/).schema).toBe('1.0#/$defs/Part');

    expectOne(validateWire('1.0', 'Task', { ...task10(), kind: 'task' }), '/kind', /unexpected property 'kind'/);
    const ev = validateWire('1.0', 'StreamResponse', {
      statusUpdate: { kind: 'status-update', taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } },
    });
    expect(expectOne(ev, '/statusUpdate/kind', /unexpected property 'kind'/).schema).toBe(
      '1.0#/$defs/TaskStatusUpdateEvent',
    );
  });

  it('Part with both text and url, and a Part with none', () => {
    const errors = validateWire('1.0', 'Message', {
      role: 'ROLE_USER',
      messageId: 'm',
      parts: [{ text: 'a', url: 'https://x' }, { mediaType: 'text/plain' }],
    });
    const both = expectOne(
      errors,
      '/parts/0',
      /^exactly one of text, raw, url, data must be present \(found text, url\)$/,
    );
    expect(both.schema).toBe('1.0#/$defs/Part');
    expectOne(errors, '/parts/1', /found none/);
    expect(errors).toHaveLength(2); // no per-branch "required" noise
  });

  it('timestamp with a +02:00 offset (1.0 §5.6.1)', () => {
    const errors = validateWire('1.0', 'Task', {
      id: 't',
      status: { state: 'TASK_STATE_WORKING', timestamp: '2025-10-28T12:30:00.000+02:00' },
    });
    const e = expectOne(errors, '/status/timestamp', /UTC timestamp ending in 'Z'/);
    expect(e.schema).toBe('1.0#/$defs/Timestamp');
    expect(
      validateWire('1.0', 'Task', {
        id: 't',
        status: { state: 'TASK_STATE_WORKING', timestamp: '2025-10-28T10:30:00Z' },
      }),
    ).toEqual([]);
    expect(
      validateWire('1.0', 'Task', {
        id: 't',
        status: { state: 'TASK_STATE_WORKING', timestamp: '2025-10-28T10:30:00.123456789Z' },
      }),
    ).toEqual([]);
  });

  it('required fields: Task.id/status, Message.parts (non-empty), Artifact.artifactId, event fields', () => {
    const t = validateWire('1.0', 'Task', { contextId: 'c' });
    expect(paths(t).sort()).toEqual(['/id', '/status']);
    expectOne(t, '/status', /^required property 'status' is missing$/);

    expectOne(
      validateWire('1.0', 'Message', { role: 'ROLE_USER', messageId: 'm', parts: [] }),
      '/parts',
      /at least 1 item/,
    );
    expectOne(
      validateWire('1.0', 'Message', { role: 'ROLE_USER', messageId: 'm', content: [{ text: 'x' }] }),
      '/parts',
      /'content' is the 0\.3 HTTP\+JSON name/,
    );
    expectOne(
      validateWire('1.0', 'Task', { ...task10(), artifacts: [{ parts: [{ text: 'x' }] }] }),
      '/artifacts/0/artifactId',
      /required/,
    );
    const ev = validateWire('1.0', 'StreamResponse', {
      artifactUpdate: { taskId: 't', artifact: { artifactId: 'a', parts: [{ text: 'x' }] } },
    });
    expect(expectOne(ev, '/artifactUpdate/contextId', /required property 'contextId'/).schema).toBe(
      '1.0#/$defs/TaskArtifactUpdateEvent',
    );
  });

  it('StreamResponse / SendMessageResponse: exactly one member; 0.3-shaped objects get a hint', () => {
    expectOne(
      validateWire('1.0', 'StreamResponse', {
        task: task10(),
        message: { role: 'ROLE_AGENT', messageId: 'm', parts: [{ text: 'x' }] },
      }),
      '',
      /exactly one of task, message, statusUpdate, artifactUpdate must be present \(found task, message\)/,
    );
    const bare = validateWire('1.0', 'SendMessageResult', {
      kind: 'task',
      id: 't',
      contextId: 'c',
      status: { state: 'completed' },
    });
    expectOne(bare, '', /found none.*looks like a 0\.3 JSON-RPC object/);
    expectOne(bare, '/kind', /unexpected property 'kind'/);
  });

  it('JSON-RPC error data: not an array / items without @type / incomplete ErrorInfo', () => {
    const notArray = validateWire('1.0', 'JsonRpcError', {
      code: -32001,
      message: 'Task not found',
      data: { reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org' },
    });
    const e = expectOne(notArray, '/data', /array of typed detail objects/);
    expect(e.schema).toBe('1.0#/$defs/ErrorDetails');

    const noType = validateWire('1.0', 'JsonRpcError', {
      code: -32001,
      message: 'x',
      data: [{ reason: 'TASK_NOT_FOUND' }],
    });
    expectOne(noType, '/data/0/@type', /required property '@type' is missing/);

    const badInfo = validateWire('1.0', 'JsonRpcResponse', {
      jsonrpc: '2.0',
      id: 1,
      error: {
        code: -32001,
        message: 'x',
        data: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'task not found' }],
      },
    });
    expect(expectOne(badInfo, '/error/data/0/domain', /required/).schema).toBe('1.0#/$defs/ErrorInfo');
    expectOne(badInfo, '/error/data/0/reason', /UPPER_SNAKE_CASE/);
  });

  it('JSON-RPC envelope with both result and error', () => {
    const errors = validateWire('1.0', 'JsonRpcResponse', {
      jsonrpc: '2.0',
      id: 1,
      result: {},
      error: { code: -32603, message: 'x' },
    });
    const e = expectOne(errors, '', /exactly one of result, error must be present \(found result, error\)/);
    expect(e.schema).toBe('1.0#/$defs/JsonRpcResponse');
    expect(errors).toHaveLength(1);
    expectOne(
      validateWire('1.0', 'JsonRpcResponse', { jsonrpc: '1.0', id: 1, result: {} }),
      '/jsonrpc',
      /must be "2\.0"/,
    );
    expectOne(validateWire('1.0', 'JsonRpcResponse', { jsonrpc: '2.0', result: {} }), '/id', /required/);
  });

  it('REST error body without the google.rpc.Status wrapper', () => {
    expectOne(validateWire('1.0', 'RestError', { message: 'not found' }), '/error', /required property 'error'/);
    expectOne(
      validateWire('1.0', 'RestError', { error: { code: 404, message: 'x', status: 'NotFound' } }),
      '/error/status',
      /NOT_FOUND/,
    );
  });

  it('AgentCard: missing supportedInterfaces, security scheme with two members, 0.3-style scheme', () => {
    const { supportedInterfaces: _omit, ...noIfaces } = card10();
    expectOne(validateWire('1.0', 'AgentCard', noIfaces), '/supportedInterfaces', /required/);
    const errors = validateWire('1.0', 'AgentCard', {
      ...card10(),
      securitySchemes: {
        two: { apiKeySecurityScheme: { location: 'header', name: 'k' }, mtlsSecurityScheme: {} },
        old: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    });
    const two = expectOne(
      errors,
      '/securitySchemes/two',
      /exactly one of apiKeySecurityScheme, .* \(found apiKeySecurityScheme, mtlsSecurityScheme\)/,
    );
    expect(two.schema).toBe('1.0#/$defs/SecurityScheme');
    expectOne(errors, '/securitySchemes/old', /found none/);
  });

  it('push config: flat shape, only url required (a2a.proto); id and taskId optional on the wire', () => {
    const errors = validateWire('1.0', 'PushConfig', { taskId: 't', pushNotificationConfig: { url: 'https://x' } });
    expect(paths(errors).sort()).toEqual(['/url']);
    expect(validateWire('1.0', 'PushConfig', { url: 'https://x' })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 0.3 JSON-RPC
// ---------------------------------------------------------------------------------------------------------------

const task03 = () => ({
  kind: 'task',
  id: 't-1',
  contextId: 'c-1',
  status: { state: 'completed', timestamp: '2025-04-02T16:59:25.331844' },
  artifacts: [{ artifactId: 'a-1', parts: [{ kind: 'text', text: '...' }] }],
  history: [
    {
      kind: 'message',
      role: 'user',
      messageId: 'm-1',
      taskId: 't-1',
      contextId: 'c-1',
      parts: [{ kind: 'text', text: 'tell me a joke' }],
    },
  ],
});

const card03 = () => ({
  protocolVersion: '0.3.0',
  name: 'Recipe Agent',
  description: 'Helps with recipes',
  url: 'https://agent.example/a2a/v1',
  preferredTransport: 'JSONRPC',
  additionalInterfaces: [
    { url: 'https://agent.example/a2a/v1', transport: 'JSONRPC' },
    { url: 'https://agent.example/a2a/rest', transport: 'HTTP+JSON' },
  ],
  provider: { organization: 'Example', url: 'https://example.com' },
  version: '1.0.0',
  capabilities: {
    streaming: true,
    pushNotifications: true,
    stateTransitionHistory: false,
    extensions: [{ uri: 'https://ext.example/v1' }],
  },
  securitySchemes: {
    apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    oauth: {
      type: 'oauth2',
      flows: {
        clientCredentials: { tokenUrl: 'https://t', scopes: {} },
        implicit: { authorizationUrl: 'https://a', scopes: {} },
      },
    },
    oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example' },
    mtls: { type: 'mutualTLS' },
  },
  security: [{ oauth: ['read'] }, { apiKey: [], mtls: [] }],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [{ id: 's', name: 'S', description: 'd', tags: ['t'], security: [{ bearer: [] }] }],
  supportsAuthenticatedExtendedCard: true,
  signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln' }],
});

describe('0.3 JSON-RPC valid documents', () => {
  it('message/send result Task (wire-formats §3.2) and Message', () => {
    expectValid('0.3-jsonrpc', 'SendMessageResult', task03());
    expectValid('0.3-jsonrpc', 'Task', task03());
    expectValid('0.3-jsonrpc', 'SendMessageResult', {
      kind: 'message',
      role: 'agent',
      messageId: 'm-2',
      parts: [
        { kind: 'text', text: 'hi' },
        { kind: 'file', file: { uri: 'https://files.example/a.pdf', mimeType: 'application/pdf', name: 'a.pdf' } },
        { kind: 'file', file: { bytes: 'aGVsbG8=' } },
        { kind: 'data', data: { a: 1 }, metadata: {} },
      ],
    });
  });

  it('stream events and the JSON-RPC envelope', () => {
    expectValid('0.3-jsonrpc', 'StreamResponse', task03());
    expectValid('0.3-jsonrpc', 'StreamResponse', {
      kind: 'status-update',
      taskId: 't',
      contextId: 'c',
      status: { state: 'input-required' },
      final: true,
    });
    expectValid('0.3-jsonrpc', 'StreamResponse', {
      kind: 'artifact-update',
      taskId: 't',
      contextId: 'c',
      artifact: { artifactId: 'a', parts: [{ kind: 'text', text: 'chunk' }] },
      append: true,
      lastChunk: false,
    });
    expectValid('0.3-jsonrpc', 'JsonRpcResponse', { jsonrpc: '2.0', id: 1, result: task03() });
    expectValid('0.3-jsonrpc', 'JsonRpcResponse', {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Invalid JSON payload' },
    });
    expectValid('0.3-jsonrpc', 'JsonRpcError', { code: -32001, message: 'Task not found', data: { anything: 'goes' } });
  });

  it('AgentCard and push configs', () => {
    expectValid('0.3-jsonrpc', 'AgentCard', card03());
    const cfg = {
      taskId: 't-1',
      pushNotificationConfig: { id: 'c', url: 'https://hook', token: 'x', authentication: { schemes: ['Bearer'] } },
    };
    expectValid('0.3-jsonrpc', 'PushConfig', cfg);
    expectValid('0.3-jsonrpc', 'PushConfigList', [cfg]);
    expectValid('0.3-jsonrpc', 'PushConfigList', []);
  });
});

describe('0.3 JSON-RPC invalid documents', () => {
  it('missing kind', () => {
    const { kind: _k, ...noKind } = task03();
    const errors = validateWire('0.3-jsonrpc', 'Task', noKind);
    const e = expectOne(errors, '/kind', /^required property 'kind' is missing/);
    expect(e.schema).toBe('0.3-jsonrpc#/$defs/Task');
    expect(errors).toHaveLength(1);
    // Union types: one error, no discriminator noise.
    expect(validateWire('0.3-jsonrpc', 'StreamResponse', noKind)).toEqual([
      expect.objectContaining({ path: '/kind', message: expect.stringMatching(/required property 'kind'/) }),
    ]);
    expectOne(
      validateWire('0.3-jsonrpc', 'StreamResponse', { ...task03(), kind: 'taskk' }),
      '/kind',
      /must be one of task, message, status-update, artifact-update/,
    );
  });

  it('status-update without final', () => {
    const errors = validateWire('0.3-jsonrpc', 'StreamResponse', {
      kind: 'status-update',
      taskId: 't',
      contextId: 'c',
      status: { state: 'completed' },
    });
    const e = expectOne(errors, '/final', /required property 'final' is missing/);
    expect(e.schema).toBe('0.3-jsonrpc#/$defs/TaskStatusUpdateEvent');
    expect(errors).toHaveLength(1);
  });

  it('ProtoJSON enum spelling is an error on 0.3 JSON-RPC', () => {
    const errors = validateWire('0.3-jsonrpc', 'Task', { ...task03(), status: { state: 'TASK_STATE_COMPLETED' } });
    expectOne(errors, '/status/state', /must be one of submitted, .*ProtoJSON spelling/);
    expectOne(
      validateWire('0.3-jsonrpc', 'Message', { kind: 'message', role: 'ROLE_USER', messageId: 'm', parts: [] }),
      '/role',
      /user, agent/,
    );
  });

  it('FileWithBytes and FileWithUri are mutually exclusive; unknown part kind', () => {
    const errors = validateWire('0.3-jsonrpc', 'Message', {
      kind: 'message',
      role: 'user',
      messageId: 'm',
      parts: [
        { kind: 'file', file: { bytes: 'aGk=', uri: 'https://x' } },
        { kind: 'image', url: 'x' },
        { kind: 'data', data: [1] },
      ],
    });
    expect(expectOne(errors, '/parts/0/file', /exactly one of bytes, uri/).schema).toBe(
      '0.3-jsonrpc#/$defs/FileContent',
    );
    expectOne(errors, '/parts/1/kind', /must be one of text, file, data/);
    expect(expectOne(errors, '/parts/2/data', /must be object/).schema).toBe('0.3-jsonrpc#/$defs/DataPart');
  });

  it('JSON-RPC envelope with both result and error', () => {
    expectOne(
      validateWire('0.3-jsonrpc', 'JsonRpcResponse', {
        jsonrpc: '2.0',
        id: 1,
        result: task03(),
        error: { code: -32603, message: 'x' },
      }),
      '',
      /exactly one of result, error must be present \(found result, error\)/,
    );
    expectOne(validateWire('0.3-jsonrpc', 'JsonRpcResponse', { jsonrpc: '2.0', id: 1 }), '', /found none/);
  });

  it('AgentCard: 1.0-style security scheme, missing url', () => {
    const { url: _u, ...noUrl } = card03();
    const errors = validateWire('0.3-jsonrpc', 'AgentCard', {
      ...noUrl,
      securitySchemes: { k: { apiKeySecurityScheme: { location: 'header', name: 'x' } } },
    });
    expectOne(errors, '/url', /required/);
    expectOne(errors, '/securitySchemes/k/type', /required property 'type'/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 0.3 HTTP+JSON (ProtoJSON of a2a.v1)
// ---------------------------------------------------------------------------------------------------------------

const msg03rest = () => ({
  messageId: 'm-1',
  role: 'ROLE_USER',
  content: [
    { text: 'hello' },
    { file: { fileWithUri: 'https://files.example/a.pdf', mimeType: 'application/pdf' } },
    { file: { fileWithBytes: 'aGVsbG8=', mimeType: 'text/plain' } },
    { data: { data: { a: 1 } } },
  ],
});

const task03rest = () => ({
  id: 't-1',
  contextId: 'c-1',
  status: { state: 'TASK_STATE_CANCELLED', timestamp: '2025-04-02T16:59:25.331Z' },
  artifacts: [{ artifactId: 'a-1', parts: [{ text: '...' }] }],
  history: [msg03rest()],
});

describe('0.3 HTTP+JSON valid documents', () => {
  it('Message with content, Task with TASK_STATE_CANCELLED, wrappers', () => {
    expectValid('0.3-rest', 'Message', msg03rest());
    expectValid('0.3-rest', 'Task', task03rest());
    expectValid('0.3-rest', 'Task', { id: 't', status: { state: 'TASK_STATE_SUBMITTED' } });
    expectValid('0.3-rest', 'SendMessageResult', { task: task03rest() });
    expectValid('0.3-rest', 'SendMessageResult', { message: { ...msg03rest(), role: 'ROLE_AGENT' } });
    expectValid('0.3-rest', 'StreamResponse', {
      statusUpdate: { taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } },
    });
    expectValid('0.3-rest', 'StreamResponse', {
      statusUpdate: { taskId: 't', contextId: 'c', status: { state: 'TASK_STATE_COMPLETED' }, final: true },
    });
    expectValid('0.3-rest', 'StreamResponse', {
      artifactUpdate: { taskId: 't', artifact: { artifactId: 'a', parts: [{ text: 'x' }] }, append: true },
    });
  });

  it('push config resource names, lists, lenient error bodies, card', () => {
    const cfg = {
      name: 'tasks/t-1/pushNotificationConfigs/cfg-1',
      pushNotificationConfig: { id: 'cfg-1', url: 'https://hook', authentication: { schemes: ['Bearer'] } },
    };
    expectValid('0.3-rest', 'PushConfig', cfg);
    expectValid('0.3-rest', 'PushConfigList', { configs: [cfg] });
    expectValid('0.3-rest', 'PushConfigList', {});
    expectValid('0.3-rest', 'RestError', { message: 'Task not found' });
    expectValid('0.3-rest', 'RestError', { code: -32001, message: 'Task not found', data: null });
    expectValid('0.3-rest', 'RestError', { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    expectValid('0.3-rest', 'RestError', { detail: 'Not Found' });
    expectValid('0.3-rest', 'AgentCard', {
      protocolVersion: '0.3.0',
      name: 'A',
      description: 'd',
      url: 'https://agent.example/a2a/rest',
      preferredTransport: 'HTTP+JSON',
      version: '1',
      capabilities: { streaming: true },
      securitySchemes: {
        bearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } },
        oauth: { oauth2SecurityScheme: { flows: { clientCredentials: { tokenUrl: 'https://t' } } } },
      },
      security: [{ schemes: { bearer: { list: [] } } }],
      skills: [{ id: 's', name: 'S', tags: ['x'] }],
    });
  });
});

describe('0.3 HTTP+JSON invalid documents', () => {
  it('`parts` instead of `content`', () => {
    const { content, ...rest } = msg03rest();
    const errors = validateWire('0.3-rest', 'Message', { ...rest, parts: content });
    const e = expectOne(
      errors,
      '/content',
      /required property 'content' is missing.*'parts' is the JSON-RPC and 1\.0 name/,
    );
    expect(e.schema).toBe('0.3-rest#/$defs/Message');
    expect(errors).toHaveLength(1);
  });

  it('JSON-RPC-style and 1.0-style parts and enums', () => {
    const errors = validateWire('0.3-rest', 'Message', {
      messageId: 'm',
      role: 'user',
      content: [{ kind: 'file', file: { uri: 'https://x' } }, { data: { a: 1 } }, { url: 'https://x' }],
    });
    expectOne(errors, '/role', /ROLE_USER, ROLE_AGENT.*0\.3 JSON-RPC spelling/);
    expectOne(errors, '/content/0/file', /exactly one of fileWithUri, fileWithBytes/);
    expectOne(errors, '/content/1/data/data', /required property 'data'/);
    expectOne(errors, '/content/2', /exactly one of text, file, data must be present \(found none\)/);
    expectOne(
      validateWire('0.3-rest', 'Task', { id: 't', status: { state: 'TASK_STATE_CANCELED' } }),
      '/status/state',
      /TASK_STATE_CANCELLED/,
    );
  });

  it('`msg` is not the JSON name of the SendMessageResponse member (json_name = "message")', () => {
    expectOne(
      validateWire('0.3-rest', 'SendMessageResult', { msg: msg03rest() }),
      '',
      /exactly one of task, message must be present \(found none\)/,
    );
  });

  it('bare JSON-RPC-style push config and error body without a message', () => {
    const errors = validateWire('0.3-rest', 'PushConfig', {
      taskId: 't',
      pushNotificationConfig: { url: 'https://x' },
    });
    expectOne(errors, '/name', /required/);
    expectOne(
      validateWire('0.3-rest', 'PushConfig', { name: 't/cfg', pushNotificationConfig: { url: 'x' } }),
      '/name',
      /tasks\/\{taskId\}\/pushNotificationConfigs\/\{configId\}/,
    );
    const e = expectOne(validateWire('0.3-rest', 'RestError', { code: 404 }), '', /carrying an error message string/);
    expect(e.schema).toBe('0.3-rest#/$defs/RestError');
    expectOne(validateWire('0.3-rest', 'RestError', 'Not Found'), '', /carrying an error message string/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Facade behaviour
// ---------------------------------------------------------------------------------------------------------------

describe('validateWire facade', () => {
  it('throws on a (profile, type) combination without a schema', () => {
    expect(() => validateWire('0.3-rest', 'JsonRpcResponse', {})).toThrow(/JsonRpcResponse.*0\.3-rest/);
    expect(() => validateWire('0.3-jsonrpc', 'ListTasksResponse', {})).toThrow(/ListTasksResponse/);
    expect(() => validateWire('0.3-jsonrpc', 'RestError', {})).toThrow(/RestError/);
    expect(() => validateWire('2.0' as WireProfile, 'Task', {})).toThrow(/2\.0/);
  });

  it('lists the types of each profile', () => {
    expect(supportedWireTypes('1.0')).toContain('ListTasksResponse');
    expect(supportedWireTypes('0.3-rest')).not.toContain('JsonRpcResponse');
    expect(supportedWireTypes('0.3-jsonrpc')).not.toContain('RestError');
  });

  it('non-object documents give one readable error', () => {
    expect(validateWire('1.0', 'Task', 'hello')).toEqual([
      expect.objectContaining({ path: '', message: 'must be object', schema: '1.0#/$defs/Task', actual: '"hello"' }),
    ]);
    expect(validateWire('1.0', 'Task', null)).toHaveLength(1);
    // A non-object where a oneOf wrapper is expected: just the type error, no "found none" on top.
    const parts = validateWire('1.0', 'Message', { role: 'ROLE_USER', messageId: 'm', parts: ['hello'] });
    expect(parts).toEqual([
      expect.objectContaining({ path: '/parts/0', message: 'must be object', schema: '1.0#/$defs/Part' }),
    ]);
    expect(validateWire('1.0', 'StreamResponse', [])).toHaveLength(1);
  });

  it('truncates `actual` to 200 characters and never repeats a message', () => {
    const long = 'x'.repeat(1000);
    const errors = validateWire('1.0', 'Task', { id: 't', status: { state: long } });
    expect(errors).toHaveLength(1);
    expect(errors[0].actual!.length).toBeLessThanOrEqual(200);
    expect(errors[0].actual!.endsWith('…')).toBe(true);
    const many = validateWire('1.0', 'Message', { role: 'x', messageId: 1, parts: [{}, {}, { text: 1 }] });
    const keys = many.map((e) => `${e.path}|${e.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('JSON pointer escaping of map keys', () => {
    const errors = validateWire('1.0', 'AgentCard', {
      ...card10(),
      securitySchemes: { 'a/b~c': { mtlsSecurityScheme: 1 } },
    });
    expect(paths(errors)).toEqual(['/securitySchemes/a~1b~0c/mtlsSecurityScheme']);
    expect(errors[0].schema).toBe('1.0#/$defs/MutualTlsSecurityScheme');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// targets.yaml
// ---------------------------------------------------------------------------------------------------------------

describe('targets document', () => {
  const full = () => ({
    defaults: {
      headers: { Authorization: 'Bearer ${A2A_TOKEN}' },
      protocols: ['0.3', '1.0'],
      bindings: ['jsonrpc', 'rest'],
      timeoutMs: 10000,
      checkTimeoutMs: 60000,
      streamIdleTimeoutMs: 15000,
      concurrency: 4,
      maxBodyBytes: 1048576,
      tags: ['ci'],
      tls: { insecure: false },
      triggers: 'reference',
      specProfile: '1.0.1',
      expectedFailures: [{ check: 'stream.*', versions: ['0.3'], bindings: ['rest'], reason: 'known upstream bug' }],
      webhook: { host: '0.0.0.0', port: 0, publicUrl: 'https://hooks.example/a2a' },
      gateway: 'litellm',
    },
    targets: [
      {
        name: 'python-ref',
        url: 'http://localhost:9999',
        start: {
          command: 'python -m agent',
          cwd: './agents/py',
          env: { PORT: '9999' },
          readyUrl: 'http://localhost:9999/.well-known/agent-card.json',
          readyTimeoutMs: 30000,
        },
        triggers: {
          message: { text: 'say hi' },
          slow: { messageIdPrefix: 'tck-slow-' },
          'input-required': { text: 'ask me', messageIdPrefix: 'x' },
        },
        tls: { ca: './ca.pem', cert: './c.pem', key: './k.pem' },
      },
      { name: 'card-only.v2', cardUrl: 'https://agent.example/.well-known/agent-card.json', triggers: 'a2a-tck' },
    ],
  });

  it('accepts a complete file', () => {
    expect(validateTargetsDocument(full())).toEqual([]);
    expect(validateTargetsDocument({ targets: [{ name: 'a', url: 'https://a.example' }] })).toEqual([]);
  });

  it('unknown key: error at that path, with a suggestion', () => {
    const doc = full();
    (doc.targets[0] as Record<string, unknown>).timeoutMS = 5;
    const e = expectOne(
      validateTargetsDocument(doc),
      '/targets/0/timeoutMS',
      /^unknown property 'timeoutMS' \(did you mean 'timeoutMs'\?\)$/,
    );
    expect(e.schema).toBe('targets#/$defs/Target');
    expectOne(
      validateTargetsDocument({ ...full(), target: [] }),
      '/target',
      /unknown property 'target'.*did you mean 'targets'/,
    );
    expectOne(
      validateTargetsDocument({ ...full(), defaults: { url: 'http://x' } }),
      '/defaults/url',
      /can only be set per target/,
    );
    const t = full();
    (t.targets[0].start as Record<string, unknown>).readyTimeout = 1;
    expectOne(validateTargetsDocument(t), '/targets/0/start/readyTimeout', /unknown property/);
  });

  it('required fields and value checks', () => {
    const errors = validateTargetsDocument({
      targets: [
        { url: 'http://x' },
        { name: '-bad name' },
        { name: 'n', url: 'ftp://x', concurrency: 65, protocols: ['1.1'], specProfile: '1.0' },
      ],
    });
    expectOne(errors, '/targets/0/name', /required/);
    expectOne(errors, '/targets/1/name', /letters, digits/);
    expectOne(errors, '/targets/1', /at least one of url, cardUrl must be present/);
    expectOne(errors, '/targets/2/url', /absolute http\(s\) URL/);
    expectOne(errors, '/targets/2/concurrency', /<= 64/);
    expectOne(errors, '/targets/2/protocols/0', /0\.3, 1\.0/);
    expectOne(errors, '/targets/2/specProfile', /1\.0\.0, 1\.0\.1/);
    expectOne(validateTargetsDocument({}), '/targets', /required/);
    expectOne(validateTargetsDocument({ targets: [] }), '/targets', /at least 1 item/);
  });

  it('triggers: preset name (checked by the loader) or map of known behaviours', () => {
    expect(
      validateTargetsDocument({ targets: [{ name: 'a', url: 'http://x', triggers: 'some-future-preset' }] }),
    ).toEqual([]);
    const bad = validateTargetsDocument({
      targets: [
        { name: 'a', url: 'http://x', triggers: '' },
        { name: 'b', url: 'http://x', triggers: { mesage: { text: 'x' }, task: {}, failed: { txt: 'x' } } },
        { name: 'c', url: 'http://x', triggers: 3 },
      ],
    });
    expectOne(bad, '/targets/0/triggers', /must not be empty/);
    expectOne(bad, '/targets/1/triggers/mesage', /did you mean 'message'/);
    expectOne(bad, '/targets/1/triggers/task', /at least one of text, messageIdPrefix/);
    expectOne(bad, '/targets/1/triggers/failed/txt', /did you mean 'text'/);
    expectOne(bad, '/targets/2/triggers', /must be string or object/);
    expect(bad).toHaveLength(5);
  });

  it('expectedFailures, headers, tls, webhook shapes', () => {
    const errors = validateTargetsDocument({
      targets: [
        {
          name: 'a',
          url: 'http://x',
          headers: { 'X Bad': 'v', Good: 1 },
          expectedFailures: [{ check: 'x' }],
          tls: { insecure: 'yes' },
          webhook: { port: 70000 },
        },
      ],
    });
    expectOne(errors, '/targets/0/headers/X Bad', /invalid property name 'X Bad': must be a valid HTTP header name/);
    expectOne(errors, '/targets/0/headers/Good', /must be string/);
    expectOne(errors, '/targets/0/expectedFailures/0/reason', /required/);
    expectOne(errors, '/targets/0/tls/insecure', /must be boolean/);
    expectOne(errors, '/targets/0/webhook/port', /<= 65535/);
  });
});
