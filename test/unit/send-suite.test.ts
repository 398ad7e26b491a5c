/** The send suite's pure helpers: which messages of a send reply are the agent's (send.message.agent-role). */
import { describe, expect, it } from 'vitest';
import type { Message, SendResult, Task } from '../../src/protocol/model.js';
import { agentMessagesIn } from '../../suites/send/checks.js';

const msg = (messageId: string, role: Message['role'], text: string): Message => ({
  messageId,
  role,
  parts: [{ kind: 'text', text }],
});
const task = (over: Partial<Task>): SendResult => ({
  kind: 'task',
  task: { id: 't-1', contextId: 'c-1', status: { state: 'completed', wireState: 'completed' }, ...over } as Task,
});
const sent = { messageId: 'm-sent', text: 'hello' };

describe('agentMessagesIn', () => {
  it('judges the reply Message', () => {
    const m = msg('a-1', 'agent', 'hi');
    expect(agentMessagesIn(sent, { kind: 'message', message: m })).toEqual([
      { where: 'the reply Message', message: m },
    ]);
  });

  it("judges a Task's status message and the history entries that are not the harness's", () => {
    const status = msg('a-2', 'agent', 'done');
    const r = task({
      status: { state: 'completed', wireState: 'completed', message: status },
      history: [msg('m-sent', 'user', 'hello'), msg('a-1', 'user', 'working on it')],
    });
    expect(agentMessagesIn(sent, r).map((x) => [x.where, x.message.messageId])).toEqual([
      ["the task's status message", 'a-2'],
      ['history[1] (messageId a-1)', 'a-1'],
    ]);
  });

  it("treats a user-role echo of the harness's text under another id as the harness's message", () => {
    const r = task({ history: [msg('server-id', 'user', 'hello'), msg('a-1', 'agent', 'hi')] });
    expect(agentMessagesIn(sent, r).map((x) => x.message.messageId)).toEqual(['a-1']);
    // The same text under another id with the agent role is judged (it is not the harness's).
    const other = task({ history: [msg('server-id', 'agent', 'hello')] });
    expect(agentMessagesIn(sent, other).map((x) => x.message.messageId)).toEqual(['server-id']);
  });

  it('finds nothing in a Task with neither status message nor agent history', () => {
    expect(agentMessagesIn(sent, task({ history: [msg('m-sent', 'user', 'hello')] }))).toEqual([]);
  });

  it('bounds the history it judges', () => {
    const history = Array.from({ length: 500 }, (_, i) => msg(`a-${i}`, 'agent', 'x'));
    expect(agentMessagesIn(sent, task({ history })).length).toBe(50);
  });
});
