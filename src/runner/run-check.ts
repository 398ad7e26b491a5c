/** Run one check in one cell: prerequisites, timeout, outcome from findings. Never throws. */
import { setMaxListeners } from 'node:events';
import type { Level, Outcome } from '../core/types.js';
import { CheckStop, type CheckDefinition, type Finding } from '../checks/types.js';
import type { CheckResult } from '../results/types.js';
import { LEVEL_RANK, RunningCheck, type CellServices } from './check-context.js';
import { expectedCost } from './schedule.js';
import { onAbort } from './abort-fanout.js';

/** The abort reason of a check's signal once the check has ended (whatever it left in flight is cancelled). */
const CHECK_ENDED = new Error('the check has ended');

const VIOLATION_OUTCOME: Record<Level, Outcome> = { MUST: 'fail', SHOULD: 'warn', MAY: 'info' };

/** Why a check does not apply to this cell, or undefined if it does. */
export function prerequisiteGap(
  check: CheckDefinition,
  cell: Pick<CellServices, 'card' | 'target' | 'upstream' | 'version'>,
): { outcome: 'skip' | 'untestable'; message: string; unlockedBy?: string } | undefined {
  const req = check.requires ?? {};
  if (req.upstream) {
    if (!cell.target.upstream)
      return { outcome: 'skip', message: 'applies only to a gateway target (`upstream:` in targets.yaml)' };
    if (!cell.upstream)
      return { outcome: 'untestable', message: `upstream target ${cell.target.upstream} could not be tested` };
    if (!cell.upstream.views.has(cell.version))
      return {
        outcome: 'untestable',
        message: `upstream target ${cell.target.upstream} does not serve ${cell.version}`,
      };
  }
  if (!req.cardless) {
    if (cell.card.snapshot.json === undefined)
      return { outcome: 'untestable', message: `no usable agent card: ${cell.card.snapshot.error ?? 'fetch failed'}` };
    if (cell.card.versionInterfaces.length === 0)
      return { outcome: 'skip', message: `the agent card declares no ${cell.card.version} interface` };
  }
  const caps = cell.card.capabilities;
  for (const c of req.capabilities ?? []) {
    if (!caps[c])
      return { outcome: 'skip', message: `the agent card does not declare ${capabilityField(c, cell.card.version)}` };
  }
  for (const c of req.capabilitiesAbsent ?? []) {
    if (caps[c])
      return { outcome: 'skip', message: `applies only when ${capabilityField(c, cell.card.version)} is not declared` };
  }
  if (req.security && !cell.card.securityDeclared)
    return { outcome: 'skip', message: 'the agent card declares no security requirements' };
  for (const t of req.triggers ?? []) {
    if (!cell.target.triggers[t]) {
      return {
        outcome: 'untestable',
        message: `no \`${t}\` trigger configured for target ${cell.target.name}`,
        unlockedBy: t,
      };
    }
  }
  return undefined;
}

function capabilityField(c: string, version: string): string {
  if (c === 'extendedCard')
    return version === '0.3' ? 'supportsAuthenticatedExtendedCard' : 'capabilities.extendedAgentCard';
  return `capabilities.${c}`;
}

/** The level a violation is graded at: its own (violatedAt) when lower than the check's. */
function effectiveLevel(level: Level, f: Finding): Level {
  return f.level && LEVEL_RANK[f.level] < LEVEL_RANK[level] ? f.level : level;
}

const OUTCOME_RANK: Partial<Record<Outcome, number>> = { pass: 0, info: 1, warn: 2, fail: 3 };

/** The worst outcome the findings call for: each violation at its effective level, an ambiguity as a warning. */
export function outcomeOf(level: Level, findings: Finding[]): Outcome {
  let worst: Outcome = 'pass';
  for (const f of findings) {
    const o: Outcome | undefined =
      f.kind === 'violation'
        ? VIOLATION_OUTCOME[effectiveLevel(level, f)]
        : f.kind === 'ambiguous'
          ? 'warn'
          : undefined;
    if (o && OUTCOME_RANK[o]! > OUTCOME_RANK[worst]!) worst = o;
  }
  return worst;
}

/** The finding the result message shows: the first that set the outcome, else the first ambiguity. */
function headlineFinding(level: Level, findings: Finding[]): Finding | undefined {
  const outcome = outcomeOf(level, findings);
  return (
    findings.find((f) => f.kind === 'violation' && VIOLATION_OUTCOME[effectiveLevel(level, f)] === outcome) ??
    findings.find((f) => f.kind === 'ambiguous') ??
    findings.find((f) => f.kind === 'violation')
  );
}

export interface TransportLikeError {
  name: string;
  kind?: string;
  message: string;
}

export async function runCheck(check: CheckDefinition, cell: CellServices): Promise<CheckResult> {
  const started = Date.now();
  const base = {
    checkId: check.id,
    target: cell.target.name,
    version: cell.version,
    binding: cell.binding,
  };
  const gap = prerequisiteGap(check, cell);
  if (gap) {
    return {
      ...base,
      outcome: gap.outcome,
      message: gap.message,
      unlockedBy: gap.unlockedBy,
      durationMs: 0,
      transcriptIds: [],
    };
  }

  const controller = new AbortController();
  // Every request of the check listens on its signal; a check may have many in flight.
  setMaxListeners(0, controller.signal);
  const timeoutMs = cell.target.checkTimeoutMs;
  const session = cell.newSession(check.id, controller.signal, expectedCost(check));
  const ctx = new RunningCheck(check, cell, session, controller.signal, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('check timeout'));
      resolve('timeout');
    }, timeoutMs);
  });

  // An interrupted run does not wait for its checks: whatever a check awaits (a poll, a webhook, a slow stream),
  // the check ends as soon as the run is aborted (its result is not recorded then).
  let unlisten: (() => void) | undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    const runSignal = cell.runSignal;
    if (runSignal?.aborted) resolve('interrupted');
    else if (runSignal)
      unlisten = onAbort(runSignal, () => {
        controller.abort(new Error('run interrupted'));
        resolve('interrupted');
      });
  });

  let outcome: Outcome;
  let message: string;
  let unlockedBy: string | undefined;
  try {
    const r = await Promise.race([check.run(ctx).then(() => 'done' as const), timeout, interrupted]);
    if (r === 'interrupted') {
      outcome = 'error';
      message = 'the run was interrupted before the check finished';
    } else if (r === 'timeout') {
      outcome = 'error';
      message = `check did not finish within ${timeoutMs} ms (checkTimeoutMs); the target may be hanging`;
    } else {
      outcome = outcomeOf(check.level, ctx.findings);
      const first = headlineFinding(check.level, ctx.findings);
      message = first?.message ?? passMessage(ctx.findings);
    }
  } catch (e) {
    if (e instanceof CheckStop) {
      outcome = e.kind;
      message = e.message;
      unlockedBy = e.unlockedBy;
    } else {
      const err = e as TransportLikeError;
      outcome = 'error';
      message =
        err?.name === 'TransportError'
          ? `transport error (${err.kind ?? 'unknown'}): ${err.message}`
          : `harness error: ${err?.message ?? String(e)}`;
    }
  } finally {
    clearTimeout(timer);
    unlisten?.();
    // Ends what the check left behind (a stream it did not close, a request waiting for a slot). A shared reason:
    // abort() without one would build (and capture the stack of) a DOMException for every check.
    controller.abort(CHECK_ENDED);
  }

  const details =
    ctx.findings.length > 1 || ctx.findings.some((f) => f.kind === 'note')
      ? ctx.findings.map((f) => `${f.kind === 'violation' ? '✗' : f.kind === 'ambiguous' ? '!' : '·'} ${f.message}`)
      : undefined;
  const expectations = ctx.findings.filter((f) => f.expectation).map((f) => f.expectation!);
  return {
    ...base,
    outcome,
    message,
    details,
    unlockedBy,
    expectations: expectations.length ? expectations : undefined,
    durationMs: Date.now() - started,
    transcriptIds: ctx.transcriptIds,
    metrics: Object.keys(ctx.metrics).length ? ctx.metrics : undefined,
  };
}

function passMessage(findings: Finding[]): string {
  const notes = findings.filter((f) => f.kind === 'note');
  return notes.length ? notes[0]!.message : 'requirement holds';
}
