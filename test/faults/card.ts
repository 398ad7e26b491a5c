/**
 * Faults for the "card" suite: each breaks one agent-card rule, on the card document, its headers or its URL.
 * The v1 agent serves a hybrid 0.3 card without A2A-Version and a 1.0 card with `A2A-Version: 1.0`; the v03 agent
 * serves a plain 0.3 card. Card mutations look at the card itself (supportedInterfaces vs url/additionalInterfaces).
 */
import type { FaultCase } from '../tools/fault-case.js';
import { isObj, type Obj } from './index.js';

const CARD_PATH = /\/\.well-known\/agent(-card)?\.json(\?|$)/;
const isCardPath = (path: string) => CARD_PATH.test(path);
const card = ['card.**'];

/** The 1.0 interfaces of a card (supportedInterfaces entries with a 1.x protocolVersion). */
function v10Interfaces(c: Obj): Obj[] {
  return Array.isArray(c.supportedInterfaces)
    ? c.supportedInterfaces.filter((i): i is Obj => isObj(i) && /^1\./.test(String(i.protocolVersion)))
    : [];
}

/** Is this the 1.0 card (negotiated with A2A-Version: 1.0) rather than a 0.3 / hybrid one? */
const isV10Card = (c: Obj) => Array.isArray(c.supportedInterfaces) && c.url === undefined;

export const FAULTS: FaultCase[] = [
  {
    name: 'card-404',
    description: 'The well-known agent card URL answers 404 Not Found.',
    agent: 'v1',
    kills: ['card.wellknown.reachable'],
    grep: card,
    intercept: (ctx) =>
      isCardPath(ctx.path) ? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' } : undefined,
  },
  {
    name: 'card-text-plain',
    description: 'The agent card (still JSON) is served as Content-Type: text/plain.',
    agent: 'v1',
    kills: ['card.wellknown.content-type'],
    grep: card,
    headers: (h, ctx) => (isCardPath(ctx.path) ? { ...h, 'content-type': 'text/plain; charset=utf-8' } : h),
  },
  {
    name: 'card-drop-name',
    description: 'The required `name` field is missing from every card variant.',
    agent: 'v1',
    kills: ['card.fields.required', 'card.schema.valid'],
    grep: card,
    card: (c) => {
      delete c.name;
      return c;
    },
  },
  {
    name: 'card-capability-not-boolean',
    description: '`capabilities.streaming` is the string "yes" instead of a boolean.',
    agent: 'v1',
    kills: ['card.capabilities.booleans', 'card.schema.valid'],
    grep: card,
    card: (c) => {
      if (isObj(c.capabilities)) c.capabilities.streaming = 'yes';
      return c;
    },
  },
  {
    name: 'card-skill-without-tags',
    description: 'A skill has no `tags` and an empty `description` (both REQUIRED).',
    agent: 'v1',
    kills: ['card.skills.shape'],
    grep: card,
    card: (c) => {
      const s = Array.isArray(c.skills) && isObj(c.skills[0]) ? c.skills[0] : undefined;
      if (s) {
        delete s.tags;
        s.description = '';
      }
      return c;
    },
  },
  {
    name: 'card-skills-empty',
    description: '`skills` is an empty list (warned: §5.7 vs §8.4.1, §13 C14).',
    agent: 'v1',
    kills: ['card.skills.shape'],
    grep: ['card.skills.shape'],
    card: (c) => {
      c.skills = [];
      return c;
    },
  },
  {
    name: 'v10-card-security-scheme-broken',
    description: 'A 1.0 security scheme wrapper lacks a required member (apiKeySecurityScheme without `location`).',
    agent: 'v1',
    kills: ['card.security.well-formed'],
    grep: ['card.security.well-formed'],
    protocols: ['1.0'],
    card: (c) => {
      if (!isV10Card(c)) return c;
      c.securitySchemes = { apiKey: { apiKeySecurityScheme: { name: 'X-API-Key' } } };
      c.securityRequirements = [{ schemes: { apiKey: { list: [] } } }];
      return c;
    },
  },
  {
    name: 'v10-card-security-undeclared-requirement',
    description: 'A 1.0 security requirement names a scheme that securitySchemes does not declare.',
    agent: 'v1',
    kills: ['card.security.well-formed'],
    grep: ['card.security.well-formed'],
    protocols: ['1.0'],
    card: (c) => {
      if (!isV10Card(c)) return c;
      c.securityRequirements = [{ schemes: { oauth: { list: ['tasks:read'] } } }];
      return c;
    },
  },
  {
    name: 'card-interface-dead-port',
    description: 'The 1.0 HTTP+JSON interface URL points to a port where nothing listens.',
    agent: 'v1',
    kills: ['card.interfaces.answer'],
    grep: card,
    protocols: ['1.0'],
    card: (c) => {
      for (const i of v10Interfaces(c)) if (i.protocolBinding === 'HTTP+JSON') i.url = 'http://127.0.0.1:9/a2a/rest';
      return c;
    },
  },
  {
    name: 'card-rest-interface-serves-jsonrpc',
    description: 'The 1.0 interface declared HTTP+JSON points to the URL that serves JSON-RPC.',
    agent: 'v1',
    kills: ['card.interfaces.answer'],
    grep: card,
    protocols: ['1.0'],
    card: (c) => {
      const rpc = v10Interfaces(c).find((i) => i.protocolBinding === 'JSONRPC');
      for (const i of v10Interfaces(c)) if (i.protocolBinding === 'HTTP+JSON' && rpc) i.url = rpc.url;
      return c;
    },
  },
  {
    name: 'v03-card-conflicting-transports',
    description: '0.3 card: additionalInterfaces declares the JSON-RPC URL a second time, as HTTP+JSON.',
    agent: 'v03',
    kills: ['card.interfaces.no-conflicts'],
    grep: card,
    card: (c) => {
      if (typeof c.url === 'string' && Array.isArray(c.additionalInterfaces))
        c.additionalInterfaces.push({ url: c.url, transport: 'HTTP+JSON' });
      return c;
    },
  },
  {
    name: 'hybrid-card-conflicting-transports',
    description: 'Hybrid 0.3 card of the 1.x agent: additionalInterfaces declares the main JSON-RPC URL as HTTP+JSON.',
    agent: 'v1',
    kills: ['card.interfaces.no-conflicts'],
    grep: card,
    protocols: ['0.3'],
    card: (c) => {
      if (typeof c.url === 'string' && Array.isArray(c.additionalInterfaces))
        c.additionalInterfaces.push({ url: c.url, transport: 'HTTP+JSON' });
      return c;
    },
  },
  {
    name: 'v03-card-url-not-preferred-transport',
    description: '0.3 card: the main `url` points to the HTTP+JSON endpoint while preferredTransport says JSONRPC.',
    agent: 'v03',
    kills: ['card.preferred-transport.matches-url'],
    grep: card,
    card: (c) => {
      const rest = Array.isArray(c.additionalInterfaces)
        ? c.additionalInterfaces.find((i): i is Obj => isObj(i) && i.transport === 'HTTP+JSON')
        : undefined;
      if (rest) c.url = rest.url;
      return c;
    },
  },
  {
    name: 'card-snake-case-push-notifications',
    description: 'The card spells capabilities.pushNotifications as "push_notifications" (snake_case, 1.0 §5.5).',
    agent: 'v1',
    kills: ['card.fields.camel-case'],
    grep: card,
    card: (c) => {
      if (isObj(c.capabilities) && 'pushNotifications' in c.capabilities) {
        c.capabilities.push_notifications = c.capabilities.pushNotifications;
        delete c.capabilities.pushNotifications;
      }
      return c;
    },
  },
  {
    name: 'v03-card-transport-spelled-json-rpc',
    description: '0.3 card: additionalInterfaces spell the JSON-RPC transport "JSON-RPC" instead of "JSONRPC".',
    agent: 'v03',
    kills: ['card.interfaces.spelling'],
    grep: card,
    card: (c) => {
      for (const i of Array.isArray(c.additionalInterfaces) ? c.additionalInterfaces : [])
        if (isObj(i) && i.transport === 'JSONRPC') i.transport = 'JSON-RPC';
      return c;
    },
  },
  {
    name: 'v03-card-main-not-in-additional-interfaces',
    description: '0.3 card: additionalInterfaces no longer repeats the main url/preferredTransport entry.',
    agent: 'v03',
    kills: ['card.additional-interfaces.includes-main'],
    grep: card,
    card: (c) => {
      if (Array.isArray(c.additionalInterfaces))
        c.additionalInterfaces = c.additionalInterfaces.filter(
          (i) => !(isObj(i) && i.url === c.url && i.transport === c.preferredTransport),
        );
      return c;
    },
  },
  {
    name: 'card-binding-lowercase',
    description:
      'supportedInterfaces spells the JSON-RPC binding "jsonrpc" instead of "JSONRPC" (the endpoint still speaks ' +
      'JSON-RPC): 1.0 §8.3.1, the interface does not accurately declare its binding.',
    agent: 'v1',
    kills: ['card.interfaces.binding-accurate'],
    grep: card,
    card: (c) => {
      for (const i of Array.isArray(c.supportedInterfaces) ? c.supportedInterfaces : [])
        if (isObj(i) && i.protocolBinding === 'JSONRPC') i.protocolBinding = 'jsonrpc';
      return c;
    },
  },
  {
    name: 'card-protocol-version-with-patch',
    description: 'The 1.0 interfaces declare protocolVersion "1.0.0" instead of "Major.Minor".',
    agent: 'v1',
    kills: ['card.interfaces.spelling'],
    grep: card,
    card: (c) => {
      for (const i of v10Interfaces(c)) i.protocolVersion = '1.0.0';
      return c;
    },
  },
  {
    name: 'card-no-cache-headers',
    description: 'The card response carries neither Cache-Control nor ETag.',
    agent: 'v1',
    kills: ['card.caching.headers'],
    grep: card,
    headers: (h, ctx) => {
      if (!isCardPath(ctx.path)) return h;
      const { 'cache-control': _c, etag: _e, ...rest } = h;
      return rest;
    },
  },
  {
    name: 'card-no-vary',
    description: 'The card differs by A2A-Version but the response has no Vary header.',
    agent: 'v1',
    kills: ['card.negotiation.vary'],
    grep: card,
    headers: (h, ctx) => {
      if (!isCardPath(ctx.path)) return h;
      const { vary: _v, ...rest } = h;
      return rest;
    },
  },
  {
    name: 'v10-card-without-supported-interfaces',
    description: 'The card requested with A2A-Version: 1.0 has no supportedInterfaces (a 0.3-style answer).',
    agent: 'v1',
    kills: ['card.negotiation.version-header'],
    grep: card,
    protocols: ['1.0'],
    card: (c, ctx) => {
      if (ctx.requestHeaders['a2a-version'] !== '1.0') return c;
      delete c.supportedInterfaces;
      return c;
    },
  },
  {
    name: 'card-headerless-gets-v10-card',
    description: 'A card request without A2A-Version gets the 1.0 card (no url/protocolVersion for 0.3 clients).',
    agent: 'v1',
    kills: ['card.negotiation.default-is-0-3'],
    grep: card,
    protocols: ['0.3'],
    request: (r) =>
      isCardPath(r.path) && !r.headers['a2a-version'] ? { ...r, headers: { ...r.headers, 'a2a-version': '1.0' } } : r,
  },
  {
    name: 'card-drops-claimed-version',
    description: 'targets.yaml claims 1.0, but the card (both variants) declares only 0.3 interfaces.',
    agent: 'v1',
    kills: ['card.protocols.claimed', 'card.interfaces.declared'],
    grep: card,
    protocols: ['1.0'],
    card: (c) => {
      if (Array.isArray(c.supportedInterfaces))
        c.supportedInterfaces = c.supportedInterfaces.filter(
          (i) => !(isObj(i) && /^1\./.test(String(i.protocolVersion))),
        );
      return c;
    },
  },
  {
    name: 'v03-card-declares-0-2',
    description:
      'targets.yaml claims 0.3, but the 0.3 card says protocolVersion "0.2.9" (no 0.3 interface is declared).',
    agent: 'v03',
    kills: ['card.protocols.claimed', 'card.interfaces.declared'],
    grep: card,
    card: (c) => {
      c.protocolVersion = '0.2.9';
      return c;
    },
  },
];
