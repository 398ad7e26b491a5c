/** What discovery learns from the agent card(s) of a target. */
import type { Binding, ProtocolVersion } from '../core/types.js';
import type { Exchange } from '../http/types.js';

export type CardShape = '0.3' | '1.0' | 'hybrid' | 'unknown';

export interface DeclaredInterface {
  url: string;
  /** Recognised binding, or null for custom/misspelled ones. */
  binding: Binding | null;
  /** Exactly as the card spells it (e.g. "JSONRPC", "HTTP+JSON", "jsonrpc"). */
  bindingName: string;
  /** Major.Minor the interface serves, or null if unrecognised. */
  version: ProtocolVersion | null;
  /** Exactly as the card spells it (1.0 per-interface `protocolVersion`, 0.3 top-level `protocolVersion`). */
  versionString: string;
  tenant?: string;
  /** Where it was declared. */
  source: 'supportedInterfaces' | 'url' | 'additionalInterfaces';
  /** Index within its source list (preference order). */
  index: number;
}

export interface CardSnapshot {
  /** Which version was asked for: '1.0' sends `A2A-Version: 1.0`; 'default' sends none (= 0.3 per spec). */
  requested: ProtocolVersion | 'default';
  url: string;
  status?: number;
  headers: Record<string, string>;
  json?: unknown;
  text?: string;
  error?: string;
  exchange?: Exchange;
}

export interface CardCapabilities {
  streaming: boolean;
  pushNotifications: boolean;
  extendedCard: boolean;
  extensions: { uri: string; required: boolean }[];
}

export interface CardView {
  /** The version this view is for. */
  version: ProtocolVersion;
  /** The snapshot that describes this version (1.0: fetched with A2A-Version 1.0; 0.3: without). */
  snapshot: CardSnapshot;
  /** Parsed card object ({} when the fetch failed). */
  card: Record<string, unknown>;
  shape: CardShape;
  /** Every interface declared in this snapshot (all versions), in preference order. */
  interfaces: DeclaredInterface[];
  /** The interfaces serving this.version. */
  versionInterfaces: DeclaredInterface[];
  capabilities: CardCapabilities;
  /** Card declares security requirements (0.3 `security`, 1.0 `securityRequirements`). */
  securityDeclared: boolean;
  /** All snapshots fetched for the target (for negotiation checks). */
  allSnapshots: CardSnapshot[];
}

export interface Discovery {
  snapshots: CardSnapshot[];
  /** Per version the target serves (declared) or claims (targets.yaml protocols). */
  views: Partial<Record<ProtocolVersion, CardView>>;
  /** Versions declared by any card. */
  declaredVersions: ProtocolVersion[];
  /** Cells to run binding-scoped checks on: first interface per version × binding. */
  cells: { version: ProtocolVersion; binding: Binding; iface: DeclaredInterface }[];
  /** Fatal discovery error (card unreachable...). */
  error?: string;
}
