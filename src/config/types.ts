/** A target after targets.yaml has been parsed, validated, defaulted and interpolated. */
import type { Binding, ProtocolVersion, SpecProfile, TriggerName } from '../core/types.js';

/** How to provoke one behaviour: by message text, by messageId prefix, or both. */
export interface TriggerSpec {
  text?: string;
  messageIdPrefix?: string;
}

export interface ExpectedFailure {
  check: string; // check id, subtree (`stream`) or glob (`stream.**`, `*.unknown`)
  versions?: ProtocolVersion[];
  bindings?: Binding[];
  reason: string;
}

export interface StartSpec {
  command: string; // run through the shell
  cwd: string; // absolute
  env: Record<string, string>;
  readyUrl: string; // polled until it answers < 500
  readyTimeoutMs: number;
}

export interface TlsSpec {
  ca?: string; // PEM contents (read from the file path given in YAML)
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export interface ResolvedTarget {
  name: string;
  url: string; // base URL, no trailing slash
  cardUrl: string; // absolute
  headers: Record<string, string>; // interpolated; values are secrets unless listed in publicHeaders
  /** Values that must never appear in any output (interpolated env values, auth headers). */
  secrets: string[];
  protocols?: ProtocolVersion[]; // owner's claim; checked against the card
  bindings?: Binding[]; // filter
  timeoutMs: number; // per request
  checkTimeoutMs: number; // whole check
  streamIdleTimeoutMs: number;
  concurrency: number;
  tags: string[];
  tls?: TlsSpec;
  start?: StartSpec;
  triggers: Partial<Record<TriggerName, TriggerSpec>>;
  triggersPreset?: string;
  specProfile: SpecProfile;
  /**
   * Whether this is a production deployment (targets.yaml `production`): true grades production-only rules (TLS on
   * every interface, 0.3 §4.1 / 1.0 §7.1) at their level, false skips them, undefined judges by the host.
   */
  production?: boolean;
  expectedFailures: ExpectedFailure[];
  maxBodyBytes: number;
  /** Webhook receiver settings for push-notification checks. */
  webhook?: { host?: string; port?: number; publicUrl?: string };
  /** Free label, e.g. "LiteLLM 1.9x in front of ADK"; shown in reports. */
  gateway?: string;
  /**
   * This target is a gateway in front of the agent that target `upstream` reaches directly: both run in the same run,
   * gateway checks compare the two, and the reports classify every difference (introduced, hidden, changed).
   */
  upstream?: string;
  /** Where targets.yaml declared this target (for messages). */
  source: { file: string; line: number; col: number };
}

export interface LoadedConfig {
  file: string;
  targets: ResolvedTarget[];
}
