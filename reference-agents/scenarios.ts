/**
 * Shared business logic of the reference agents, independent of the SDK line.
 *
 * Each SDK-specific executor (v1/executor.ts, v03/executor.ts) translates its RequestContext into an `IncomingTurn`
 * and implements `ScenarioSink` by building that SDK's own event objects and publishing them on its own
 * ExecutionEventBus. Everything protocol-related (storage, streaming, push, cancel bookkeeping, wire shapes) is left
 * to the SDK: this module only decides WHICH events the agent emits and WHEN.
 */
import type { TaskState } from '../src/core/types.js';
import { selectTckBehaviour, type ArtifactPart, type TckScript } from './tck-contract.js';
import { REFERENCE_TIMING, selectTrigger, type ReferenceBehaviour, type ReferenceTiming } from './triggers.js';

/** Task states in neutral (0.3 JSON-RPC) spelling, the ones an agent can be in. */
export type ScenarioState = Exclude<TaskState, 'unknown'>;

export interface IncomingTurn {
  /** First text part of the user message, if any. */
  text: string | undefined;
  messageId: string;
  /** Task id assigned by the SDK (new or existing). */
  taskId: string;
  contextId: string;
  /** True when the message referenced an existing task (a follow-up turn). */
  followUp: boolean;
}

export interface ArtifactChunk {
  artifactId: string;
  name: string;
  text: string;
  /** A non-text part (a2a-tck contract); `text` is then ignored. */
  part?: ArtifactPart;
  append: boolean;
  lastChunk: boolean;
}

/** What a scenario can emit. One sink instance per execution (bound to one event bus, task and context). */
export interface ScenarioSink {
  /** A stand-alone agent Message (no task). */
  message(text: string): void;
  /** The Task object: a new task in `state` (new turn), or the stored task snapshot (follow-up turn). */
  task(state: ScenarioState): void;
  /** A TaskStatusUpdateEvent; `text` becomes an agent status message. */
  status(state: ScenarioState, text?: string): void;
  /** A TaskArtifactUpdateEvent. */
  artifact(chunk: ArtifactChunk): void;
  /** End of this execution (0.3 SDK: `eventBus.finished()`; 1.x SDK: nothing, the handler settles the bus). */
  done(): void;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export const CANCEL_TEXT = 'Task canceled at the request of the client.';

/**
 * Runs the scripted behaviours and tracks running tasks for cancellation.
 * One instance per agent (it holds the per-task cancel handles).
 */
export class ReferenceScenarios {
  /** Abort handles of executions currently running, by task id. */
  private readonly running = new Map<string, { controller: AbortController; sink: ScenarioSink }>();
  /** Aborted on dispose(): stops every scripted delay without emitting anything. */
  private readonly lifetime = new AbortController();

  constructor(
    private readonly timing: ReferenceTiming = REFERENCE_TIMING,
    /** Also honour the a2a-tck's messageId-prefix contract (./tck-contract.ts). */
    private readonly tckContract = false,
  ) {}

  /** Executes one turn. Resolves when the agent has emitted its last event for this turn. */
  async execute(turn: IncomingTurn, sink: ScenarioSink): Promise<void> {
    const tck = !turn.followUp && this.tckContract ? selectTckBehaviour(turn.messageId) : undefined;
    if (tck?.kind === 'message') {
      sink.message(tck.text);
      sink.done();
      return;
    }
    if (tck?.kind === 'script') {
      runTckScript(tck, sink);
      return;
    }
    const behaviour: ReferenceBehaviour | 'follow-up' = turn.followUp
      ? 'follow-up'
      : (tck?.trigger ?? selectTrigger(turn.text, turn.messageId));
    if (behaviour === 'message') {
      sink.message(`You said: ${turn.text ?? ''}`);
      sink.done();
      return;
    }
    const controller = new AbortController();
    const onDispose = (): void => controller.abort();
    this.lifetime.signal.addEventListener('abort', onDispose, { once: true });
    this.running.set(turn.taskId, { controller, sink });
    try {
      await this.runTask(behaviour, turn, sink, controller.signal);
    } finally {
      this.lifetime.signal.removeEventListener('abort', onDispose);
      if (this.running.get(turn.taskId)?.controller === controller) this.running.delete(turn.taskId);
    }
  }

  /**
   * Cancels a task. If its execution is still running, the running script emits the `canceled` status itself and
   * stops emitting anything else; otherwise (e.g. a task parked in input-required whose bus the SDK kept alive) the
   * `canceled` status is emitted on the sink the SDK handed to the cancel call.
   */
  async cancel(taskId: string, fallbackSink: ScenarioSink): Promise<void> {
    const run = this.running.get(taskId);
    if (run && !run.controller.signal.aborted) {
      run.controller.abort();
      return;
    }
    fallbackSink.status('canceled', CANCEL_TEXT);
    fallbackSink.done();
  }

  /** Stops every running script without emitting further events (server shutdown). */
  dispose(): void {
    this.lifetime.abort();
  }

  private async runTask(
    behaviour: Exclude<ReferenceBehaviour, 'message'> | 'follow-up',
    turn: IncomingTurn,
    sink: ScenarioSink,
    signal: AbortSignal,
  ): Promise<void> {
    /** Returns true (and emits `canceled`, unless the server is shutting down) when the task was canceled. */
    const stopped = (): boolean => {
      if (!signal.aborted) return false;
      if (!this.lifetime.signal.aborted) {
        sink.status('canceled', CANCEL_TEXT);
        sink.done();
      }
      return true;
    };
    const t = this.timing;

    if (behaviour === 'follow-up') {
      sink.task('working');
      sink.status('working');
      sink.artifact({
        artifactId: 'follow-up-result',
        name: 'result.txt',
        text: `Thanks, continuing with: ${turn.text ?? ''}. All done.`,
        append: false,
        lastChunk: true,
      });
      sink.status('completed', 'Done.');
      sink.done();
      return;
    }

    sink.task('submitted');
    switch (behaviour) {
      case 'task': {
        sink.status('working');
        const chunks = ['Report part 1: introduction. ', 'Report part 2: findings. ', 'Report part 3: conclusion.'];
        for (let i = 0; i < t.taskChunks; i++) {
          await sleep(t.taskChunkDelayMs, signal);
          if (stopped()) return;
          sink.artifact({
            artifactId: 'report',
            name: 'report.txt',
            text: chunks[i] ?? `Report part ${i + 1}. `,
            append: i > 0,
            lastChunk: i === t.taskChunks - 1,
          });
        }
        await sleep(t.taskChunkDelayMs, signal);
        if (stopped()) return;
        sink.status('completed', 'The report is ready.');
        sink.done();
        return;
      }
      case 'slow': {
        sink.status('working', 'Starting the long job.');
        const ticks = Math.max(1, Math.round(t.slowTotalMs / t.slowTickMs));
        const tickMs = t.slowTotalMs / ticks;
        for (let i = 1; i <= ticks; i++) {
          await sleep(tickMs, signal);
          if (stopped()) return;
          if (i < ticks) sink.status('working', `Still working (${i}/${ticks}).`);
        }
        sink.artifact({
          artifactId: 'long-job-result',
          name: 'result.txt',
          text: 'The long job is finished.',
          append: false,
          lastChunk: true,
        });
        sink.status('completed', 'Long job completed.');
        sink.done();
        return;
      }
      case 'input-required':
        sink.status('working');
        sink.status('input-required', 'For what time and for how many people should I book the table?');
        sink.done();
        return;
      case 'auth-required':
        sink.status('working');
        sink.status(
          'auth-required',
          'Please authorize access to your calendar to continue (send any follow-up message on this task once done).',
        );
        sink.done();
        return;
      case 'failed':
        sink.status('working');
        sink.status('failed', 'The task failed, as requested.');
        sink.done();
        return;
      case 'rejected':
        sink.status('rejected', 'The agent rejected this task, as requested.');
        sink.done();
        return;
    }
  }
}

/** A TCK scenario with no delay: optionally working, its artifacts, then completed (with its message). */
function runTckScript(script: TckScript, sink: ScenarioSink): void {
  sink.task('submitted');
  if (script.working) sink.status('working');
  script.artifacts.forEach((a, i) =>
    sink.artifact({
      artifactId: 'tck-artifact',
      name: a.part.kind === 'file' || a.part.kind === 'url' ? a.part.name : `artifact-${i + 1}`,
      text: a.part.kind === 'text' ? a.part.text : '',
      part: a.part,
      append: a.append,
      lastChunk: a.lastChunk,
    }),
  );
  sink.status('completed', script.message);
  sink.done();
}
