/** Pure functions: what an agent card declares (interfaces, versions, capabilities), for both card shapes. */
import { isObj, type Obj, str } from '../core/json.js';
import type { Binding, ProtocolVersion } from '../core/types.js';
import type { CardCapabilities, CardShape, DeclaredInterface } from './types.js';

/**
 * The core transports the spec names (0.3 §5.5.5, 1.0 AgentInterface.protocol_binding), each with the binding the
 * harness speaks it with, or null while the harness has no client for it. Checks judge only what the harness can
 * speak; an entry flips on when its adapter exists.
 */
export const CORE_TRANSPORTS: Readonly<Record<string, Binding | null>> = {
  JSONRPC: 'jsonrpc',
  'HTTP+JSON': 'rest',
  GRPC: 'grpc',
};

/** Whether a binding name is a core transport (exactly, or in a lenient spelling) the harness has no client for. */
export function coreTransportNotSpoken(name: string | undefined): string | undefined {
  const n = (name ?? '').trim().toUpperCase();
  const core = Object.keys(CORE_TRANSPORTS).find((k) => k === n || k === n.replace(/[\s_-]/g, ''));
  return core !== undefined && CORE_TRANSPORTS[core] === null ? core : undefined;
}

/** Recognise a binding name leniently (spelling is judged by a check, not here). */
export function bindingOf(name: string | undefined): Binding | null {
  const n = (name ?? '')
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, '');
  if (n === 'JSONRPC' || n === 'JSONRPC2.0') return 'jsonrpc';
  if (n === 'HTTP+JSON' || n === 'HTTPJSON' || n === 'REST' || n === 'HTTP+JSON/REST') return 'rest';
  if (n === 'GRPC') return 'grpc';
  return null;
}

/** "1.0", "1.0.1", "v1.0" → '1.0'; "0.3", "0.3.0" → '0.3'. */
export function versionOf(s: string | undefined): ProtocolVersion | null {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec((s ?? '').trim());
  if (!m) return null;
  const mm = `${Number(m[1])}.${Number(m[2])}`;
  return mm === '0.3' || mm === '1.0' ? mm : null;
}

export function cardShape(card: unknown): CardShape {
  if (!isObj(card)) return 'unknown';
  const has10 = Array.isArray(card.supportedInterfaces);
  const has03 =
    'url' in card || 'preferredTransport' in card || 'additionalInterfaces' in card || 'protocolVersion' in card;
  if (has10 && has03) return 'hybrid';
  if (has10) return '1.0';
  if (has03) return '0.3';
  return 'unknown';
}

export function declaredInterfaces(card: unknown): DeclaredInterface[] {
  if (!isObj(card)) return [];
  const out: DeclaredInterface[] = [];
  if (Array.isArray(card.supportedInterfaces)) {
    card.supportedInterfaces.forEach((i, index) => {
      if (!isObj(i)) return;
      const bindingName = str(i.protocolBinding) ?? '';
      const versionString = str(i.protocolVersion) ?? '';
      out.push({
        url: str(i.url) ?? '',
        binding: bindingOf(bindingName),
        bindingName,
        version: versionOf(versionString),
        versionString,
        tenant: str(i.tenant) || undefined,
        source: 'supportedInterfaces',
        index,
      });
    });
  }
  const top = str(card.url);
  if (top !== undefined || 'preferredTransport' in card) {
    const versionString = str(card.protocolVersion) ?? '';
    // 0.3 schema default: preferredTransport JSONRPC, protocolVersion 0.3.0.
    const version = versionString ? versionOf(versionString) : '0.3';
    const bindingName = str(card.preferredTransport) ?? 'JSONRPC';
    out.push({
      url: top ?? '',
      binding: bindingOf(bindingName),
      bindingName,
      version,
      versionString,
      source: 'url',
      index: 0,
    });
    if (Array.isArray(card.additionalInterfaces)) {
      card.additionalInterfaces.forEach((i, index) => {
        if (!isObj(i)) return;
        const name = str(i.transport) ?? '';
        out.push({
          url: str(i.url) ?? '',
          binding: bindingOf(name),
          bindingName: name,
          version,
          versionString,
          source: 'additionalInterfaces',
          index,
        });
      });
    }
  }
  return out;
}

/**
 * Where each version's card declares the extended card: 0.3 `supportsAuthenticatedExtendedCard` (top level), 1.0
 * `capabilities.extendedAgentCard`. A hybrid card declaring only one of them declares it for that version only.
 */
const EXTENDED_CARD_FLAG: Record<ProtocolVersion, (card: Obj, caps: Obj) => unknown> = {
  '0.3': (card) => card.supportsAuthenticatedExtendedCard,
  '1.0': (_card, caps) => caps.extendedAgentCard,
};

/** What the card declares; `version` reads the version's own flags (without it: either version's). */
export function capabilitiesOf(card: unknown, version?: ProtocolVersion): CardCapabilities {
  const caps = isObj(card) && isObj(card.capabilities) ? card.capabilities : {};
  const c = isObj(card) ? card : {};
  const extendedCard = version
    ? EXTENDED_CARD_FLAG[version](c, caps) === true
    : Object.values(EXTENDED_CARD_FLAG).some((flag) => flag(c, caps) === true);
  const extensions = Array.isArray(caps.extensions)
    ? caps.extensions.filter(isObj).map((e) => ({ uri: str(e.uri) ?? '', required: e.required === true }))
    : [];
  return {
    streaming: caps.streaming === true,
    pushNotifications: caps.pushNotifications === true,
    extendedCard,
    extensions,
  };
}

/**
 * Whether the card requires authentication: a non-empty list of security requirements none of which is empty. The
 * list is an OR of ANDs (OpenAPI Security Requirement Objects): an empty alternative (`{}`, 1.0 `{schemes: {}}`)
 * makes anonymous access one of the accepted ways.
 */
export function securityDeclared(card: unknown): boolean {
  if (!isObj(card)) return false;
  const sec = card.securityRequirements ?? card.security;
  if (!Array.isArray(sec) || sec.length === 0) return false;
  const empty = (r: unknown) =>
    isObj(r) && (Object.keys(r).length === 0 || (isObj(r.schemes) && Object.keys(r.schemes).length === 0));
  return !sec.some(empty);
}

/** The interfaces of one version, de-duplicated by binding+url, preference order kept. */
export function interfacesFor(all: DeclaredInterface[], version: ProtocolVersion): DeclaredInterface[] {
  const seen = new Set<string>();
  return all.filter((i) => {
    if (i.version !== version) return false;
    const key = `${i.binding ?? i.bindingName}|${i.url}|${i.tenant ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
