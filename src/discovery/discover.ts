/**
 * Discovery: fetch the card without and with `A2A-Version: 1.0`, read what each declares, and derive the
 * version × binding cells to test. Recorded in the target's discovery transcript; card checks judge the snapshots.
 */
import type { Binding, ProtocolVersion } from '../core/types.js';
import { BINDINGS, PROTOCOL_VERSIONS } from '../core/types.js';
import type { ResolvedTarget } from '../config/types.js';
import type { HttpSession } from '../http/session.js';
import { capabilitiesOf, cardShape, declaredInterfaces, interfacesFor, securityDeclared } from './read-card.js';
import type { CardSnapshot, CardView, Discovery } from './types.js';

export async function fetchCard(
  session: HttpSession,
  url: string,
  requested: ProtocolVersion | 'default',
  extraHeaders: Record<string, string> = {},
): Promise<CardSnapshot> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (requested !== 'default') headers['a2a-version'] = requested;
  try {
    const res = await session.request({
      method: 'GET',
      url,
      headers,
      label: `GET agent card (${requested === 'default' ? 'no A2A-Version' : `A2A-Version ${requested}`})`,
    });
    return {
      requested,
      url,
      status: res.status,
      headers: res.headers,
      json: res.json,
      text: res.text,
      exchange: res.exchange,
      error:
        res.status >= 400
          ? `HTTP ${res.status}`
          : res.json === undefined
            ? `body is not JSON${res.jsonError ? `: ${res.jsonError}` : ''}`
            : undefined,
    };
  } catch (e) {
    // Transport failures name their kind (timeout, reset, tls, connect…) so every report says what happened.
    const kind = (e as { kind?: unknown }).kind;
    const message = (e as Error).message;
    const error = typeof kind === 'string' && !message.startsWith(kind) ? `${kind}: ${message}` : message;
    return { requested, url, headers: {}, error, exchange: session.transcript.exchanges.at(-1) };
  }
}

export interface DiscoverFilters {
  protocols?: ProtocolVersion[];
  bindings?: Binding[];
}

export async function discover(
  target: ResolvedTarget,
  session: HttpSession,
  filters: DiscoverFilters = {},
): Promise<Discovery> {
  const [plain, v10] = await Promise.all([
    fetchCard(session, target.cardUrl, 'default'),
    fetchCard(session, target.cardUrl, '1.0'),
  ]);
  const snapshots = [plain, v10];
  const usable = snapshots.filter((s) => s.json !== undefined && s.status !== undefined && s.status < 400);
  if (usable.length === 0) {
    return {
      snapshots,
      views: {},
      declaredVersions: [],
      cells: [],
      error: `agent card not available at ${target.cardUrl}: ${plain.error ?? v10.error}`,
    };
  }

  // Which snapshot describes which version: 1.0 from the negotiated fetch, 0.3 from the header-less one
  // (a missing A2A-Version means 0.3). Fall back to the other when one failed.
  const forVersion: Record<ProtocolVersion, CardSnapshot> = {
    '0.3': usable.includes(plain) ? plain : v10,
    '1.0': usable.includes(v10) ? v10 : plain,
  };

  const declared = new Set<ProtocolVersion>();
  for (const s of usable) for (const i of declaredInterfaces(s.json)) if (i.version) declared.add(i.version);

  const wanted = PROTOCOL_VERSIONS.filter(
    (v) => (declared.has(v) || target.protocols?.includes(v)) && (!filters.protocols || filters.protocols.includes(v)),
  );
  const views: Partial<Record<ProtocolVersion, CardView>> = {};
  const cells: Discovery['cells'] = [];
  const bindingFilter = (b: Binding) =>
    (!target.bindings || target.bindings.includes(b)) && (!filters.bindings || filters.bindings.includes(b));

  for (const version of wanted) {
    const snapshot = forVersion[version];
    const card = (snapshot.json ?? {}) as Record<string, unknown>;
    // Interfaces of this version may be declared in either snapshot (hybrid cards, negotiated cards).
    const own = declaredInterfaces(card);
    const other = declaredInterfaces((snapshot === plain ? v10 : plain).json);
    const versionInterfaces = interfacesFor(own.length && interfacesFor(own, version).length ? own : other, version);
    views[version] = {
      version,
      snapshot,
      card,
      shape: cardShape(card),
      interfaces: own,
      versionInterfaces,
      capabilities: capabilitiesOf(card, version),
      securityDeclared: securityDeclared(card),
      allSnapshots: snapshots,
    };
    for (const binding of BINDINGS) {
      if (!bindingFilter(binding)) continue;
      const iface = versionInterfaces.find((i) => i.binding === binding && i.url);
      if (iface) cells.push({ version, binding, iface });
    }
  }
  return { snapshots, views, declaredVersions: PROTOCOL_VERSIONS.filter((v) => declared.has(v)), cells };
}
