/**
 * AgentExecutor for a2a-sdk-v03 (@a2a-js/sdk 0.3.14): adapts the shared scenarios (../scenarios.ts) to the 0.3 event
 * model (JSON-RPC-shaped objects with `kind`, `final` on status updates, `eventBus.finished()` at the end).
 */
import { randomUUID } from 'node:crypto';
import type { Message, Task, TaskState } from 'a2a-sdk-v03';
import type { AgentExecutor, ExecutionEventBus, RequestContext } from 'a2a-sdk-v03/server';
import { isInterrupted, isTerminal } from '../../src/core/types.js';
import { ReferenceScenarios, type ScenarioSink } from '../scenarios.js';
import { REFERENCE_TIMING, type ReferenceTiming } from '../triggers.js';

const agentMessage = (text: string, contextId: string, taskId: string | undefined): Message => ({
  kind: 'message',
  messageId: randomUUID(),
  role: 'agent',
  parts: [{ kind: 'text', text }],
  contextId,
  ...(taskId ? { taskId } : {}),
});

function firstText(message: Message | undefined): string | undefined {
  for (const part of message?.parts ?? []) {
    if (part.kind === 'text') return part.text;
  }
  return undefined;
}

export class V03ReferenceExecutor implements AgentExecutor {
  readonly scenarios: ReferenceScenarios;
  private readonly contexts = new Map<string, string>();

  constructor(timing: ReferenceTiming = REFERENCE_TIMING) {
    this.scenarios = new ReferenceScenarios(timing);
  }

  execute = async (requestContext: RequestContext, eventBus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId, task: existingTask, userMessage } = requestContext;
    await this.scenarios.execute(
      {
        text: firstText(userMessage),
        messageId: userMessage.messageId,
        taskId,
        contextId,
        followUp: existingTask !== undefined,
      },
      this.sink(eventBus, taskId, contextId, existingTask, userMessage),
    );
  };

  cancelTask = async (taskId: string, eventBus: ExecutionEventBus): Promise<void> => {
    const contextId = this.contexts.get(taskId) ?? '';
    await this.scenarios.cancel(taskId, this.sink(eventBus, taskId, contextId, undefined, undefined));
  };

  private sink(
    bus: ExecutionEventBus,
    taskId: string,
    contextId: string,
    existingTask: Task | undefined,
    userMessage: Message | undefined,
  ): ScenarioSink {
    const now = (): string => new Date().toISOString();
    return {
      message: (text) => {
        bus.publish(agentMessage(text, contextId, undefined));
      },
      task: (state) => {
        this.contexts.set(taskId, contextId);
        if (existingTask) {
          bus.publish(existingTask);
          return;
        }
        bus.publish({
          kind: 'task',
          id: taskId,
          contextId,
          status: { state: state as TaskState, timestamp: now() },
          history: userMessage ? [userMessage] : [],
        });
      },
      status: (state, text) => {
        bus.publish({
          kind: 'status-update',
          taskId,
          contextId,
          status: {
            state: state as TaskState,
            ...(text === undefined ? {} : { message: agentMessage(text, contextId, taskId) }),
            timestamp: now(),
          },
          // 0.3: the last event of a stream carries final: true (terminal or interrupted state).
          final: isTerminal(state) || isInterrupted(state),
        });
      },
      artifact: (chunk) => {
        bus.publish({
          kind: 'artifact-update',
          taskId,
          contextId,
          artifact: { artifactId: chunk.artifactId, name: chunk.name, parts: [{ kind: 'text', text: chunk.text }] },
          append: chunk.append,
          lastChunk: chunk.lastChunk,
        });
      },
      done: () => {
        bus.finished();
      },
    };
  }
}
