/**
 * AgentExecutor for @a2a-js/sdk 1.x: adapts the shared scenarios (../scenarios.ts) to the 1.x event model
 * (proto-shaped objects, `AgentEvent.*` wrappers, no `final` flag, the handler settles the bus).
 */
import { randomUUID } from 'node:crypto';
import { Role, TaskState, type Message, type Part, type Task } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import { ReferenceScenarios, type ScenarioSink, type ScenarioState } from '../scenarios.js';
import type { ArtifactPart } from '../tck-contract.js';
import { REFERENCE_TIMING, type ReferenceTiming } from '../triggers.js';

const STATE: Record<ScenarioState, TaskState> = {
  submitted: TaskState.TASK_STATE_SUBMITTED,
  working: TaskState.TASK_STATE_WORKING,
  'input-required': TaskState.TASK_STATE_INPUT_REQUIRED,
  'auth-required': TaskState.TASK_STATE_AUTH_REQUIRED,
  completed: TaskState.TASK_STATE_COMPLETED,
  canceled: TaskState.TASK_STATE_CANCELED,
  failed: TaskState.TASK_STATE_FAILED,
  rejected: TaskState.TASK_STATE_REJECTED,
};

const textPart = (text: string): Part => ({
  content: { $case: 'text', value: text },
  metadata: undefined,
  filename: '',
  mediaType: 'text/plain',
});

function v1Part(p: ArtifactPart): Part {
  const base = { metadata: undefined, filename: '', mediaType: '' };
  switch (p.kind) {
    case 'text':
      return { ...base, content: { $case: 'text', value: p.text }, mediaType: 'text/plain' };
    case 'file':
      return { ...base, content: { $case: 'raw', value: p.bytes }, filename: p.name, mediaType: p.mediaType };
    case 'url':
      return { ...base, content: { $case: 'url', value: p.url }, filename: p.name, mediaType: p.mediaType };
    case 'data':
      return { ...base, content: { $case: 'data', value: p.data }, mediaType: 'application/json' };
  }
}

const agentMessage = (text: string, contextId: string, taskId: string): Message => ({
  messageId: randomUUID(),
  contextId,
  taskId,
  role: Role.ROLE_AGENT,
  parts: [textPart(text)],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});

function firstText(message: Message | undefined): string | undefined {
  for (const part of message?.parts ?? []) {
    if (part.content?.$case === 'text') return part.content.value;
  }
  return undefined;
}

export class V1ReferenceExecutor implements AgentExecutor {
  readonly scenarios: ReferenceScenarios;
  /** contextId of every task this executor created (needed to cancel a task whose execution already returned). */
  private readonly contexts = new Map<string, string>();

  /** The 1.x agent also honours the a2a-tck's messageId-prefix contract (../tck-contract.ts). */
  constructor(timing: ReferenceTiming = REFERENCE_TIMING) {
    this.scenarios = new ReferenceScenarios(timing, true);
  }

  execute = async (requestContext: RequestContext, eventBus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId, task: existingTask } = requestContext;
    const userMessage = requestContext.userMessage;
    const sink = this.sink(eventBus, taskId, contextId, existingTask, userMessage);
    await this.scenarios.execute(
      {
        text: firstText(userMessage),
        messageId: userMessage.messageId,
        taskId,
        contextId,
        followUp: existingTask !== undefined,
      },
      sink,
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
        bus.publish(AgentEvent.message(agentMessage(text, contextId, '')));
      },
      task: (state) => {
        this.contexts.set(taskId, contextId);
        if (existingTask) {
          bus.publish(AgentEvent.task(existingTask));
          return;
        }
        bus.publish(
          AgentEvent.task({
            id: taskId,
            contextId,
            status: { state: STATE[state], message: undefined, timestamp: now() },
            artifacts: [],
            history: userMessage ? [userMessage] : [],
            metadata: undefined,
          }),
        );
      },
      status: (state, text) => {
        bus.publish(
          AgentEvent.statusUpdate({
            taskId,
            contextId,
            status: {
              state: STATE[state],
              message: text === undefined ? undefined : agentMessage(text, contextId, taskId),
              timestamp: now(),
            },
            metadata: undefined,
          }),
        );
      },
      artifact: (chunk) => {
        bus.publish(
          AgentEvent.artifactUpdate({
            taskId,
            contextId,
            artifact: {
              artifactId: chunk.artifactId,
              name: chunk.name,
              description: '',
              parts: [chunk.part ? v1Part(chunk.part) : textPart(chunk.text)],
              metadata: undefined,
              extensions: [],
            },
            append: chunk.append,
            lastChunk: chunk.lastChunk,
            metadata: undefined,
          }),
        );
      },
      done: () => {
        /* 1.x: DefaultRequestHandler settles the bus when execute() returns. */
      },
    };
  }
}
