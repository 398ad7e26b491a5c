/** Suite "card": agent card discovery, shape and declarations (0.3 §5, 1.0 §8). Version-scoped. */
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import { isObj, type Obj } from '../../src/core/json.js';
import { CARD_BINDING_NAME, type ProtocolVersion } from '../../src/core/types.js';
import { bindingOf, coreTransportNotSpoken, declaredInterfaces, versionOf } from '../../src/discovery/read-card.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';
import { validateWire } from '../../src/schemas/validate.js';
import { probeInterface } from './probe.js';
import { reportSchemaErrors } from '../lib/schema-findings.js';
import { snakeCaseKeys } from '../lib/camel-case.js';

/** Which wire dialect a card snapshot should be judged by. */
function cardProfile(ctx: CheckContext): '0.3-jsonrpc' | '1.0' {
  if (ctx.version === '1.0') return '1.0';
  return ctx.card.shape === '1.0' ? '1.0' : '0.3-jsonrpc';
}

export const wellKnownReachable = suite.check({
  id: 'card.wellknown.reachable',
  level: 'MUST',
  title: 'The agent card URL answers 200 with a JSON object',
  requirement:
    'An A2A Server MUST make an Agent Card available; the well-known URI /.well-known/agent-card.json ' +
    'returns the AgentCard.',
  specRefs: {
    '0.3': [
      { section: '5.1', req: 'S03-03' },
      { section: '5.3', req: 'S03-03' },
    ],
    '1.0': [
      { section: '8.2', req: 'S10-01' },
      { section: '14.3', req: 'S10-01' },
    ],
  },
  requires: { cardless: true },
  async run(ctx) {
    const s = ctx.card.snapshot;
    if (s.status === undefined)
      ctx.violated(`the card could not be fetched: ${s.error}`, {
        expected: 'HTTP 200 with a JSON AgentCard',
        actual: s.error,
      });
    else if (s.status !== 200)
      ctx.violated(`GET ${s.url} answered HTTP ${s.status}`, { expected: 200, actual: s.status });
    else if (!isObj(s.json))
      ctx.violated(`the card body is not a JSON object${s.error ? ` (${s.error})` : ''}`, {
        expected: 'a JSON object',
        actual: (s.text ?? '').slice(0, 200),
      });
  },
});

export const cardContentType = suite.check({
  id: 'card.wellknown.content-type',
  level: 'SHOULD',
  title: 'The agent card is served as application/json',
  requirement: 'The well-known agent card resource is a JSON document; it should be labelled application/json.',
  stance:
    'Neither version names the media type of the card endpoint (wire-formats §13 C27), so a different type ' +
    'is a warning, never a failure.',
  specRefs: { '0.3': [{ section: '5.3', req: 'S03-x14' }], '1.0': [{ section: '14.3', req: 'S10-x03' }] },
  async run(ctx) {
    const ct = ctx.card.snapshot.headers['content-type'] ?? '';
    ctx.expect(
      /^application\/([\w.+-]+\+)?json\b/i.test(ct),
      `the card was served with Content-Type "${ct || '(none)'}"`,
      { expected: 'application/json', actual: ct || '(none)' },
    );
  },
});

export const cardSchema = suite.check({
  id: 'card.schema.valid',
  level: 'MUST',
  title: 'The agent card is valid for its protocol version',
  requirement:
    'The Agent Card MUST conform to the AgentCard structure of the protocol version (0.3: the JSON-RPC data ' +
    'model; 1.0: ProtoJSON of a2a.proto).',
  specRefs: {
    '0.3': [
      { section: '5.5', req: 'S03-03' },
      { section: '11.1.5', req: 'S03-14' },
    ],
    '1.0': [
      { section: '8.1', req: 'S10-02' },
      { section: '8.1', req: 'S10-01' },
      { section: '5.5', req: 'S10-06' },
    ],
  },
  async run(ctx) {
    const profile = cardProfile(ctx);
    if (ctx.version === '0.3' && profile === '1.0') {
      ctx.ambiguous(
        'the card served without A2A-Version is 1.0-shaped although it declares 0.3 interfaces; 0.3 clients ' +
          'cannot read it',
        '1.0 §8.3 lets a 1.0 card list 0.3 interfaces, and neither version says which card a header-less ' +
          'request must get',
      );
    }
    const errors = validateWire(profile, 'AgentCard', ctx.card.card);
    reportSchemaErrors(ctx, errors);
  },
});

export const cardCamelCase = suite.check({
  id: 'card.fields.camel-case',
  level: 'MUST',
  title: '1.0: every member name of the agent card is camelCase',
  requirement:
    'All JSON serializations of the A2A data model MUST use camelCase field names: a card member such as ' +
    '`extended_agent_card` or `push_notifications` is not the capability a client reads (clients treat it as ' +
    'absent).',
  stance:
    "Free-form values (metadata, extension params, OAuth scopes) and security scheme names are the owner's, " +
    'not field names: they are not audited.',
  specRefs: { '1.0': [{ section: '5.5', req: 'S10-06' }] },
  async run(ctx) {
    const keys = snakeCaseKeys(ctx.card.card);
    for (const k of keys)
      ctx.violated(
        `card member "${k.key}" is snake_case` +
          `${k.key in CAPABILITY_SPELLINGS ? ` (${CAPABILITY_SPELLINGS[k.key]})` : ''}`,
        { path: k.path, expected: k.camel, actual: k.key },
      );
    if (!keys.length) ctx.note('every card member name is camelCase');
  },
});

/** Snake_case capability names whose camelCase reading gates suites: the consequence, named in the finding. */
const CAPABILITY_SPELLINGS: Record<string, string> = {
  push_notifications: 'the harness, like clients, reads capabilities.pushNotifications as absent',
  extended_agent_card: 'the harness, like clients, reads capabilities.extendedAgentCard as absent',
  state_transition_history: 'not the stateTransitionHistory capability',
};

const REQUIRED: Record<'0.3' | '1.0', string[]> = {
  '0.3': [
    'protocolVersion',
    'name',
    'description',
    'url',
    'version',
    'capabilities',
    'defaultInputModes',
    'defaultOutputModes',
    'skills',
  ],
  '1.0': [
    'name',
    'description',
    'supportedInterfaces',
    'version',
    'capabilities',
    'defaultInputModes',
    'defaultOutputModes',
    'skills',
  ],
};

export const requiredFields = suite.check({
  id: 'card.fields.required',
  level: 'MUST',
  title: 'Required agent card fields are present',
  requirement:
    'REQUIRED AgentCard fields MUST be present (0.3: protocolVersion, name, description, url, version, ' +
    'capabilities, defaultInputModes, defaultOutputModes, skills; 1.0: name, description, ' +
    'supportedInterfaces, version, capabilities, defaultInputModes, defaultOutputModes, skills).',
  specRefs: {
    '0.3': [{ section: '5.5', req: 'S03-03' }],
    '1.0': [
      { section: '5.7', req: 'S10-02' },
      { section: '8.1', req: 'S10-02' },
    ],
  },
  async run(ctx) {
    const missing = REQUIRED[cardProfile(ctx) === '1.0' ? '1.0' : '0.3'].filter(
      (f) => ctx.card.card[f] === undefined || ctx.card.card[f] === null,
    );
    if (missing.length)
      ctx.violated(`missing required field(s): ${missing.join(', ')}`, {
        expected: 'present',
        actual: `absent: ${missing.join(', ')}`,
      });
    for (const f of ['name', 'description', 'version']) {
      const v = ctx.card.card[f];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string')
        ctx.violated(`${f} must be a string`, { path: `/${f}`, expected: 'a string', actual: v });
      else if (v.trim() === '')
        ctx.ambiguous(
          `${f} is an empty string`,
          '1.0 §8.4.1 keeps `"description": ""` as a present REQUIRED value in its own example (as for C14), and ' +
            '0.3 sets no minimum length',
          { path: `/${f}`, expected: 'a non-empty string', actual: v },
        );
    }
  },
});

export const interfacesDeclared = suite.check({
  id: 'card.interfaces.declared',
  level: 'MUST',
  title: 'The card declares at least one interface of this version, with an absolute http(s) URL',
  requirement:
    'An agent MUST declare the protocols it supports in its card, each with an absolute URL (0.3: url + ' +
    'preferredTransport, additionalInterfaces; 1.0: supportedInterfaces).',
  specRefs: {
    '0.3': [
      { section: '3.1', req: 'S03-01' },
      { section: '5.6', req: 'S03-06' },
      { section: '11.1.1', req: 'S03-02' },
    ],
    '1.0': [
      { section: '5.2', req: 'S10-03' },
      { section: '8.3.1', req: 'S10-03' },
    ],
  },
  requires: { cardless: true },
  async run(ctx) {
    if (ctx.card.snapshot.json === undefined) return ctx.untestable(`no usable agent card: ${ctx.card.snapshot.error}`);
    const claimed = ctx.target.protocols?.includes(ctx.version);
    if (ctx.card.versionInterfaces.length === 0) {
      ctx.violated(
        `the card declares no ${ctx.version} ` +
          `interface${claimed ? ', although targets.yaml claims the target serves ' + ctx.version : ''}`,
        {
          expected: `at least one ${ctx.version} interface`,
          actual: describeInterfaces(ctx.card.interfaces) || '(none)',
        },
      );
      return;
    }
    for (const i of ctx.card.versionInterfaces) {
      let ok = false;
      try {
        ok = /^https?:$/.test(new URL(i.url).protocol);
      } catch {
        ok = false;
      }
      if (!ok && i.binding)
        ctx.violated(`${i.source}[${i.index}] url "${i.url}" is not an absolute http(s) URL`, {
          path: pathOf(i),
          expected: 'absolute http(s) URL',
          actual: i.url,
        });
    }
  },
});

export const interfacesAnswer = suite.check({
  id: 'card.interfaces.answer',
  level: 'MUST',
  title: 'Every declared interface really speaks its binding at its URL',
  requirement:
    'Each declared interface MUST accurately declare its binding and URL: the transport declared for a URL ' +
    'MUST really be available there.',
  specRefs: {
    '0.3': [
      { section: '3.1', req: 'S03-02' },
      { section: '3.1', req: 'S03-01' },
      { section: '5.6.2', req: 'S03-06' },
      { section: '5.6.4', req: 'S03-04' },
    ],
    '1.0': [
      { section: '8.3.1', req: 'S10-03' },
      { section: '5.2', req: 'S10-03' },
    ],
  },
  async run(ctx) {
    const verdicts = await Promise.all(ctx.card.versionInterfaces.map((i) => probeInterface(ctx, i)));
    for (const v of verdicts) {
      if (!v.iface.binding) {
        ctx.note(
          `${v.iface.bindingName} interface at ${v.iface.url} not probed (binding not supported by the harness)`,
        );
        continue;
      }
      if (!v.speaks)
        ctx.violated(
          `${v.iface.bindingName} declared at ${v.iface.url} does not answer as ${v.iface.bindingName}: ${v.observed}`,
          {
            path: pathOf(v.iface),
            expected:
              `a ${v.iface.bindingName} answer to ` +
              `${v.iface.binding === 'jsonrpc' ? 'a JSON-RPC GetTask' : 'GET …/tasks/{id}'}`,
            actual: v.observed,
          },
        );
      else ctx.note(`${v.iface.bindingName} at ${v.iface.url}: ${v.observed}`);
    }
  },
});

export const preferredTransport = suite.check({
  id: 'card.preferred-transport.matches-url',
  level: 'MUST',
  title: 'The main url speaks preferredTransport',
  requirement:
    'The agent MUST support the transport declared in preferredTransport at its main url; preferredTransport ' +
    'is REQUIRED.',
  stance:
    'preferredTransport is REQUIRED in the prose (§5.6.1) but optional with default JSONRPC in the schema ' +
    '(§13 C17): a missing field is a warning.',
  specRefs: {
    '0.3': [
      { section: '5.6.1', req: 'S03-05' },
      { section: '5.6.4', req: 'S03-05' },
    ],
  },
  async run(ctx) {
    const card = ctx.card.card;
    if (card.url === undefined) return ctx.skip('the card has no top-level url (1.0-shaped card)');
    if (card.preferredTransport === undefined) {
      ctx.ambiguous(
        'preferredTransport is absent (clients assume JSONRPC)',
        '0.3 §5.6.1 says REQUIRED but schema-0.3 makes it optional with default JSONRPC (§13 C17)',
        { path: '/preferredTransport', expected: 'present', actual: '(absent)' },
      );
    }
    const main =
      ctx.card.versionInterfaces.find((i) => i.source === 'url') ??
      declaredInterfaces(card).find((i) => i.source === 'url');
    if (!main?.binding) {
      const core = coreTransportNotSpoken(main?.bindingName);
      return ctx.untestable(
        `preferredTransport "${main?.bindingName}" is ` +
          (core
            ? `the core transport ${core}, which the harness cannot speak yet`
            : 'not a transport the harness speaks (a custom transport, or a misspelling judged by ' +
              'card.interfaces.spelling)') +
          `: whether ${main?.url ?? 'the main url'} serves it is not verified`,
      );
    }
    const v = await probeInterface(ctx, main);
    ctx.expect(v.speaks, `url ${main.url} does not speak preferredTransport ${main.bindingName}: ${v.observed}`, {
      path: '/url',
      expected: `a ${main.bindingName} answer`,
      actual: v.observed,
    });
  },
});

const CORE_BINDINGS = ['JSONRPC', 'GRPC', 'HTTP+JSON'];

export const bindingSpelling = suite.check({
  id: 'card.interfaces.spelling',
  level: 'SHOULD',
  title: 'Bindings and protocol versions are spelled as the spec says',
  requirement:
    'Transport/binding identifiers SHOULD be the core values "JSONRPC", "GRPC", "HTTP+JSON" (custom ' +
    'bindings: a URI); 1.0 protocolVersion is "Major.Minor" (e.g. "1.0"); 0.3 protocolVersion is "0.3.x".',
  specRefs: {
    '0.3': [{ section: '5.5.5', req: 'S03-07' }],
    '1.0': [
      { section: '5.8', req: 'S10-x02' },
      { section: '3.6', req: 'S10-x01' },
      { section: '5.8', req: 'S10-03' },
      { section: '3.6', req: 'S10-03' },
    ],
  },
  stance:
    'A 1.0 interface naming a core binding in another spelling ("JSON-RPC", "REST") is a MUST failure of ' +
    'card.interfaces.binding-accurate (§8.3.1), not repeated here. The URI rule for custom bindings is new in ' +
    '1.0.1 (§5.8): under spec profile 1.0.0 (whose §12.7 asked for "a clear, descriptive transport name") and in ' +
    '0.3 (§5.5.5: additional values MAY be used) any other name is accepted.',
  async run(ctx) {
    for (const i of ctx.card.interfaces) {
      const exact = CORE_BINDINGS.includes(i.bindingName);
      const in10 = i.source === 'supportedInterfaces';
      if (!exact && bindingOf(i.bindingName) && in10) continue;
      if (!exact && bindingOf(i.bindingName))
        ctx.violated(
          `${i.source}[${i.index}] binding "${i.bindingName}" should be spelled ` +
            `"${i.binding === 'jsonrpc' ? 'JSONRPC' : 'HTTP+JSON'}"`,
          { path: pathOf(i), expected: CORE_BINDINGS.join(' | '), actual: i.bindingName },
        );
      else if (!exact && in10 && ctx.target.specProfile === '1.0.1' && !/^[a-z][a-z0-9+.-]*:/i.test(i.bindingName))
        ctx.violated(`${i.source}[${i.index}] binding "${i.bindingName}" is neither a core binding nor a URI`, {
          path: pathOf(i),
          expected: `${CORE_BINDINGS.join(' | ')} or a URI`,
          actual: i.bindingName,
        });
      if (i.source === 'supportedInterfaces') {
        if (!/^\d+\.\d+$/.test(i.versionString))
          ctx.violated(
            `supportedInterfaces[${i.index}].protocolVersion "${i.versionString}" is not "Major.Minor"` +
              (versionOf(i.versionString)
                ? ' (clients that match exactly, like @a2a-js/sdk, will not recognise it as ' +
                  `"${versionOf(i.versionString)}")`
                : ''),
            {
              path: `/supportedInterfaces/${i.index}/protocolVersion`,
              expected: 'e.g. "1.0" or "0.3"',
              actual: i.versionString,
            },
          );
      } else if (i.source === 'url' && i.versionString && !/^0\.3(\.\d+)?$/.test(i.versionString)) {
        ctx.violated(`protocolVersion "${i.versionString}" is not a 0.3 version`, {
          path: '/protocolVersion',
          expected: '0.3.0',
          actual: i.versionString,
        });
      }
    }
  },
});

export const bindingAccurate = suite.check({
  id: 'card.interfaces.binding-accurate',
  level: 'MUST',
  title: '1.0: an interface serving a core binding declares it by its core name',
  requirement:
    'Each interface MUST accurately declare its transport protocol: an interface that serves JSON-RPC or ' +
    'HTTP+JSON names it "JSONRPC" or "HTTP+JSON" (the core values of AgentInterface.protocol_binding), not ' +
    '"JSON-RPC", "REST" or another spelling a client matching the core values will not select.',
  stance:
    'Judged only where the endpoint is seen to speak the binding its spelling suggests: an interface whose name ' +
    'is a misspelt core binding but which does not answer that binding is reported by card.interfaces.answer.',
  specRefs: {
    '1.0': [
      { section: '8.3.1', req: 'S10-03' },
      { section: '5.8', req: 'S10-03' },
    ],
  },
  async run(ctx) {
    const odd = ctx.card.interfaces.filter(
      (i) => i.source === 'supportedInterfaces' && i.binding && !CORE_BINDINGS.includes(i.bindingName),
    );
    if (odd.length === 0) {
      ctx.note('every interface of a core binding names it by its core value');
      return;
    }
    for (const i of odd) {
      const core = CARD_BINDING_NAME[i.binding!];
      const v = await probeInterface(ctx, i);
      if (!v.speaks) {
        ctx.note(`${pathOf(i)} "${i.bindingName}" does not answer as ${core} (${v.observed}): not judged here`);
        continue;
      }
      ctx.violated(
        `supportedInterfaces[${i.index}] serves ${core} but declares protocolBinding "${i.bindingName}": ` +
          `clients selecting "${core}" will not find it`,
        { path: pathOf(i), expected: core, actual: i.bindingName },
      );
    }
  },
});

export const noConflicts = suite.check({
  id: 'card.interfaces.no-conflicts',
  level: 'MUST',
  title: 'No URL declares two different transports',
  requirement:
    'The same URL MUST NOT declare conflicting transports across url/preferredTransport and additionalInterfaces.',
  specRefs: { '0.3': [{ section: '5.6.4', req: 'S03-06' }] },
  async run(ctx) {
    const byUrl = new Map<string, Set<string>>();
    for (const i of ctx.card.interfaces.filter(
      (x) => x.source !== 'supportedInterfaces' && x.version === ctx.version,
    )) {
      (byUrl.get(i.url) ?? byUrl.set(i.url, new Set()).get(i.url)!).add(i.binding ?? i.bindingName);
    }
    for (const [url, set] of byUrl)
      if (set.size > 1)
        ctx.violated(`${url} is declared with ${[...set].join(' and ')}`, {
          expected: 'one transport per URL',
          actual: [...set],
        });
  },
});

export const includesMain = suite.check({
  id: 'card.additional-interfaces.includes-main',
  level: 'SHOULD',
  title: 'additionalInterfaces repeats the main url and transport',
  requirement:
    'additionalInterfaces SHOULD include an entry for the main url and preferredTransport, so clients see ' +
    'every option in one list.',
  specRefs: { '0.3': [{ section: '5.6.2', req: 'S03-07' }] },
  async run(ctx) {
    const card = ctx.card.card;
    if (!Array.isArray(card.additionalInterfaces)) return ctx.skip('the card has no additionalInterfaces');
    const main = ctx.card.interfaces.find((i) => i.source === 'url');
    if (!main) return ctx.skip('the card has no top-level url');
    const found = ctx.card.interfaces.some(
      (i) => i.source === 'additionalInterfaces' && i.url === main.url && i.bindingName === main.bindingName,
    );
    ctx.expect(found, `additionalInterfaces has no entry for ${main.url} (${main.bindingName})`, {
      path: '/additionalInterfaces',
      expected: { url: main.url, transport: main.bindingName },
      actual: card.additionalInterfaces,
    });
  },
});

/** Per version: the boolean flags of AgentCapabilities, and the boolean fields at the top of the card. */
const BOOLEANS: Record<ProtocolVersion, { capabilities: string[]; card: string[] }> = {
  '0.3': {
    capabilities: ['streaming', 'pushNotifications', 'stateTransitionHistory'],
    card: ['supportsAuthenticatedExtendedCard'],
  },
  '1.0': { capabilities: ['streaming', 'pushNotifications', 'extendedAgentCard'], card: [] },
};

export const capabilityTypes = suite.check({
  id: 'card.capabilities.booleans',
  level: 'MUST',
  title: 'Capabilities are an object of booleans',
  requirement:
    'capabilities is a REQUIRED AgentCapabilities object; streaming, pushNotifications (0.3: ' +
    'stateTransitionHistory; 1.0: extendedAgentCard) are booleans.',
  specRefs: { '0.3': [{ section: '5.5.2', req: 'S03-03' }], '1.0': [{ section: '8.1', req: 'S10-02' }] },
  async run(ctx) {
    const caps = ctx.card.card.capabilities;
    if (!isObj(caps)) {
      ctx.violated('capabilities is missing or not an object', {
        path: '/capabilities',
        expected: 'object',
        actual: caps,
      });
      return;
    }
    const booleans = BOOLEANS[ctx.version];
    for (const f of booleans.capabilities) {
      if (caps[f] !== undefined && typeof caps[f] !== 'boolean')
        ctx.violated(`capabilities.${f} is ${JSON.stringify(caps[f])}, not a boolean`, {
          path: `/capabilities/${f}`,
          expected: 'true | false',
          actual: caps[f],
        });
    }
    for (const f of booleans.card) {
      const v = ctx.card.card[f];
      if (v !== undefined && typeof v !== 'boolean')
        ctx.violated(`${f} is not a boolean`, { path: `/${f}`, expected: 'boolean', actual: v });
    }
  },
});

export const skillsShape = suite.check({
  id: 'card.skills.shape',
  level: 'MUST',
  title: 'Skills are well formed (id, name, description, tags) and not empty',
  requirement:
    'skills is REQUIRED; every AgentSkill has id, name, description and tags; required arrays MUST contain ' +
    'at least one element (1.0 §5.7).',
  stance:
    '1.0 §5.7 requires non-empty required arrays, but §8.4.1 shows skills: [] kept as a REQUIRED field (§13 ' +
    'C14): an empty skills list is a warning.',
  specRefs: {
    '0.3': [{ section: '5.5.4', req: 'S03-03' }],
    '1.0': [
      { section: '5.7', req: 'S10-02' },
      { section: '8.1', req: 'S10-02' },
    ],
  },
  async run(ctx) {
    const skills = ctx.card.card.skills;
    if (!Array.isArray(skills)) {
      ctx.violated('skills is missing or not an array', {
        path: '/skills',
        expected: 'array of AgentSkill',
        actual: skills,
      });
      return;
    }
    if (skills.length === 0)
      ctx.ambiguous('skills is empty', '1.0 §5.7 vs §8.4.1 disagree on empty required arrays (§13 C14)', {
        path: '/skills',
        expected: 'at least one skill',
        actual: [],
      });
    const ids = new Set<string>();
    skills.forEach((s, i) => {
      if (!isObj(s)) {
        ctx.violated(`skills[${i}] is not an object`, { path: `/skills/${i}`, expected: 'AgentSkill', actual: s });
        return;
      }
      for (const f of ['id', 'name', 'description'])
        if (typeof s[f] !== 'string' || !(s[f] as string).trim())
          ctx.violated(`skills[${i}].${f} is missing or empty`, {
            path: `/skills/${i}/${f}`,
            expected: 'non-empty string',
            actual: s[f],
          });
      if (!Array.isArray(s.tags) || s.tags.some((t) => typeof t !== 'string'))
        ctx.violated(`skills[${i}].tags must be an array of strings`, {
          path: `/skills/${i}/tags`,
          expected: 'string[]',
          actual: s.tags,
        });
      if (typeof s.id === 'string') {
        if (ids.has(s.id))
          ctx.violated(`skill id "${s.id}" is used twice`, {
            path: `/skills/${i}/id`,
            expected: 'unique ids',
            actual: s.id,
          });
        ids.add(s.id);
      }
    });
  },
});

const SCHEME_03: Record<string, string[]> = {
  apiKey: ['in', 'name'],
  http: ['scheme'],
  oauth2: ['flows'],
  openIdConnect: ['openIdConnectUrl'],
  mutualTLS: [],
};
const SCHEME_10: Record<string, string[]> = {
  apiKeySecurityScheme: ['location', 'name'],
  httpAuthSecurityScheme: ['scheme'],
  oauth2SecurityScheme: ['flows'],
  openIdConnectSecurityScheme: ['openIdConnectUrl'],
  mtlsSecurityScheme: [],
};

export const securityWellFormed = suite.check({
  id: 'card.security.well-formed',
  level: 'MUST',
  title: 'Security schemes are well formed and requirements name declared schemes',
  requirement:
    'securitySchemes entries MUST be valid SecurityScheme objects of the version (0.3: OpenAPI-style `type`; ' +
    '1.0: exactly one scheme wrapper), and security requirements MUST reference declared scheme names.',
  specRefs: {
    '0.3': [
      { section: '5.5.3', req: 'S03-23' },
      { section: '4.4', req: 'S03-23' },
    ],
    '1.0': [
      { section: '8.1', req: 'S10-35' },
      { section: '7.4', req: 'S10-35' },
    ],
  },
  async run(ctx) {
    const card = ctx.card.card;
    const schemes = card.securitySchemes;
    // Judged by the card's dialect (a 1.0-shaped card served for 0.3 too): 1.0 wrappers, or 0.3 `type` schemes.
    const use10 = cardProfile(ctx) === '1.0';
    const reqs = use10 ? card.securityRequirements : card.security;
    if (schemes === undefined && reqs === undefined)
      return ctx.skip('the card declares no security schemes or requirements');
    const names = new Set<string>();
    if (schemes !== undefined && !isObj(schemes))
      ctx.violated('securitySchemes is not an object (map of name → scheme)', {
        path: '/securitySchemes',
        expected: 'object',
        actual: schemes,
      });
    for (const [name, s] of Object.entries(isObj(schemes) ? schemes : {})) {
      names.add(name);
      if (!isObj(s)) {
        ctx.violated(`securitySchemes.${name} is not an object`, {
          path: `/securitySchemes/${name}`,
          expected: 'SecurityScheme',
          actual: s,
        });
        continue;
      }
      if (use10) {
        const kinds = Object.keys(s).filter((k) => k in SCHEME_10);
        if (kinds.length !== 1) {
          ctx.violated(`securitySchemes.${name} must hold exactly one of ${Object.keys(SCHEME_10).join(', ')}`, {
            path: `/securitySchemes/${name}`,
            expected: 'one scheme wrapper',
            actual: Object.keys(s),
          });
          continue;
        }
        const inner = s[kinds[0]!];
        for (const f of SCHEME_10[kinds[0]!]!)
          if (!isObj(inner) || inner[f] === undefined)
            ctx.violated(`securitySchemes.${name}.${kinds[0]}.${f} is required`, {
              path: `/securitySchemes/${name}/${kinds[0]}/${f}`,
              expected: 'present',
              actual: '(absent)',
            });
      } else {
        const type = s.type;
        if (typeof type !== 'string' || !(type in SCHEME_03)) {
          ctx.violated(
            `securitySchemes.${name}.type "${String(type)}" is not one of ${Object.keys(SCHEME_03).join(', ')}`,
            { path: `/securitySchemes/${name}/type`, expected: Object.keys(SCHEME_03), actual: type },
          );
          continue;
        }
        for (const f of SCHEME_03[type]!)
          if (s[f] === undefined)
            ctx.violated(`securitySchemes.${name}.${f} is required for type ${type}`, {
              path: `/securitySchemes/${name}/${f}`,
              expected: 'present',
              actual: '(absent)',
            });
        if (type === 'apiKey' && s.in !== undefined && !['header', 'query', 'cookie'].includes(String(s.in)))
          ctx.violated(`securitySchemes.${name}.in must be header, query or cookie`, {
            path: `/securitySchemes/${name}/in`,
            expected: 'header | query | cookie',
            actual: s.in,
          });
      }
    }
    const referenced: string[] = [];
    if (Array.isArray(reqs)) {
      for (const r of reqs) {
        const map = use10 ? (isObj(r) && isObj(r.schemes) ? r.schemes : {}) : isObj(r) ? r : {};
        referenced.push(...Object.keys(map));
      }
    } else if (reqs !== undefined) {
      ctx.violated('security requirements must be an array', {
        path: use10 ? '/securityRequirements' : '/security',
        expected: 'array',
        actual: reqs,
      });
    }
    for (const n of referenced)
      if (!names.has(n))
        ctx.violated(`security requirement references undeclared scheme "${n}"`, {
          path: use10 ? '/securityRequirements' : '/security',
          expected: [...names],
          actual: n,
        });
  },
});

export const cachingHeaders = suite.check({
  id: 'card.caching.headers',
  level: 'SHOULD',
  title: 'The card response carries Cache-Control max-age and an ETag',
  requirement:
    'Agent Card HTTP endpoints SHOULD include Cache-Control with a max-age directive and SHOULD include an ' +
    'ETag header.',
  specRefs: { '1.0': [{ section: '8.6.1', req: 'S10-04' }] },
  async run(ctx) {
    const h = ctx.card.snapshot.headers;
    ctx.expect(
      /max-age=\d+/i.test(h['cache-control'] ?? ''),
      `Cache-Control is "${h['cache-control'] ?? '(absent)'}"`,
      { expected: 'Cache-Control: max-age=<seconds>', actual: h['cache-control'] ?? '(absent)' },
    );
    ctx.expect(Boolean(h.etag), 'no ETag header', { expected: 'ETag: "<version or hash>"', actual: '(absent)' });
  },
});

export const negotiatedCard = suite.check({
  id: 'card.negotiation.version-header',
  level: 'MUST',
  title: 'A card requested with A2A-Version: 1.0 is a 1.0 card',
  requirement:
    'Servers MUST process requests with the semantics of the requested A2A-Version; the well-known URI ' +
    'returns the AgentCard, which for 1.0 declares supportedInterfaces.',
  specRefs: {
    '1.0': [
      { section: '3.6.2', req: 'S10-19' },
      { section: '8.2', req: 'S10-01' },
    ],
  },
  async run(ctx) {
    const snap = ctx.card.allSnapshots.find((s) => s.requested === '1.0');
    if (!snap || snap.json === undefined) return ctx.untestable('the card could not be fetched with A2A-Version: 1.0');
    const card = snap.json as Obj;
    ctx.expect(
      Array.isArray(card.supportedInterfaces),
      'the card returned for A2A-Version: 1.0 has no supportedInterfaces (it is not a 1.0 card)',
      {
        path: '/supportedInterfaces',
        expected: 'array of AgentInterface',
        actual: card.supportedInterfaces ?? '(absent)',
      },
    );
  },
});

export const headerlessCard = suite.check({
  id: 'card.negotiation.default-is-0-3',
  level: 'SHOULD',
  title: 'A dual-stack server gives header-less card requests a card 0.3 clients can read',
  requirement:
    'A missing A2A-Version means 0.3: a server that also serves 0.3 should answer a header-less card request ' +
    'with a card carrying the 0.3 fields (url, preferredTransport, protocolVersion).',
  stance:
    'The spec defines version negotiation for operations; it does not say which card shape a header-less ' +
    'well-known request must receive, so a 1.0-only card here is a warning.',
  specRefs: { '0.3': [{ section: '5.6.1', req: 'S03-05' }] },
  async run(ctx) {
    const plain = ctx.card.allSnapshots.find((s) => s.requested === 'default');
    if (!plain || !isObj(plain.json)) return ctx.untestable('the card could not be fetched without A2A-Version');
    const card = plain.json as Obj;
    const missing = ['url', 'protocolVersion'].filter((f) => card[f] === undefined);
    ctx.expect(
      missing.length === 0,
      `the header-less card lacks ${missing.join(', ')}: a 0.3 client cannot find the 0.3 interface`,
      { expected: '0.3 fields url, protocolVersion (and preferredTransport)', actual: `absent: ${missing.join(', ')}` },
    );
  },
});

export const varyHeader = suite.check({
  id: 'card.negotiation.vary',
  level: 'SHOULD',
  title: 'A card that varies by A2A-Version says so with Vary',
  requirement:
    'When the card content depends on the A2A-Version request header, the response SHOULD carry `Vary: ' +
    'A2A-Version` so caches and gateways keep the variants apart (HTTP caching, RFC 9110 §12.5.5).',
  specRefs: {
    '1.0': [
      {
        section: '8.6.1',
        req: 'S10-04',
        note: '§8.6.1 names Cache-Control, ETag and Last-Modified; Vary is the RFC 9110 practice for varying content',
      },
    ],
  },
  async run(ctx) {
    const [plain, v10] = [
      ctx.card.allSnapshots.find((s) => s.requested === 'default'),
      ctx.card.allSnapshots.find((s) => s.requested === '1.0'),
    ];
    if (!plain?.text || !v10?.text) return ctx.untestable('both card variants are needed');
    if (plain.text === v10.text) return ctx.skip('the card does not vary by A2A-Version');
    const vary = `${plain.headers.vary ?? ''},${v10.headers.vary ?? ''}`.toLowerCase();
    ctx.expect(
      vary
        .split(',')
        .map((s) => s.trim())
        .includes('a2a-version') || vary.includes('*'),
      'the card differs by A2A-Version but Vary does not name A2A-Version',
      { expected: 'Vary: A2A-Version', actual: plain.headers.vary ?? '(absent)' },
    );
  },
});

export const claimedVersions = suite.check({
  id: 'card.protocols.claimed',
  level: 'MUST',
  title: 'Versions the owner claims (targets.yaml protocols) are declared by the card',
  requirement:
    'All supported protocols MUST be declared in the Agent Card: a version the target is said to serve must ' +
    'appear among its interfaces.',
  specRefs: { '0.3': [{ section: '3.4.2', req: 'S03-04' }], '1.0': [{ section: '5.2', req: 'S10-03' }] },
  requires: { cardless: true },
  async run(ctx) {
    if (!ctx.target.protocols?.includes(ctx.version))
      return ctx.skip(`targets.yaml does not claim ${ctx.version} for this target`);
    if (ctx.card.snapshot.json === undefined) return ctx.untestable(`no usable agent card: ${ctx.card.snapshot.error}`);
    ctx.expect(
      ctx.card.versionInterfaces.length > 0,
      `targets.yaml claims ${ctx.version}, but the card declares no ${ctx.version} interface`,
      {
        expected: `an interface with protocol version ${ctx.version}`,
        actual: describeInterfaces(ctx.card.interfaces) || '(none)',
      },
    );
  },
});

function pathOf(i: DeclaredInterface): string {
  return i.source === 'url' ? '/url' : `/${i.source}/${i.index}`;
}

function describeInterfaces(list: DeclaredInterface[]): string {
  return list.map((i) => `${i.bindingName}@${i.versionString || '?'} ${i.url}`).join('; ');
}
