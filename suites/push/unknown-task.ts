/**
 * push.config.unknown-task-0-3: the 0.3 half of the push-config-on-an-unknown-task grid row. 1.0 §3.1.7 names
 * TaskNotFoundError for a create on an unknown task (push.config.unknown-task, MUST). 0.3 names no error for set
 * (§7.5); get (§7.6) and delete (§7.8) list "Response `error` type (on failure)": JSONRPCError "(e.g.,
 * PushNotificationNotSupportedError, TaskNotFoundError)", and §8.2 says servers "SHOULD use these codes where
 * applicable". So on 0.3 the probe is get and delete naming a task that does not exist, judged at SHOULD.
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import { expectError } from '../lib/expect-error.js';

export const UNKNOWN_TASK_SCENARIO = 'push.config.unknown-task';

export const unknownTask03 = suite.check({
  id: 'push.config.unknown-task-0-3',
  level: 'SHOULD',
  scenario: UNKNOWN_TASK_SCENARIO,
  title: '0.3: getting or deleting a push config of an unknown task fails, with TaskNotFound',
  requirement:
    'tasks/pushNotificationConfig/get and /delete for a task id that does not exist fail with an error; the ' +
    'server SHOULD use TaskNotFoundError (-32001) where it applies (§8.2).',
  stance:
    '0.3 lists TaskNotFoundError for get and delete only as an example ("e.g.") and §8.2 makes its codes a ' +
    'SHOULD, so a success or another error warns; set (§7.5) names no error and is not probed on 0.3. On 0.3 ' +
    'HTTP+JSON, where no body field names the error, the 404 is the portable TaskNotFound.',
  specRefs: {
    '0.3': [
      { section: '7.6', req: 'S03-17' },
      { section: '7.8', req: 'S03-17' },
      { section: '8.2', req: 'S03-16' },
    ],
  },
  requires: { capabilities: ['pushNotifications'] },
  async run(ctx) {
    const taskId = `conformance-missing-${randomUUID()}`;
    const configId = `conformance-missing-${randomUUID().slice(0, 8)}`;
    expectError(
      ctx,
      await ctx.client.getPushConfig(taskId, configId, { label: 'get a push config of an unknown task' }),
      'TaskNotFound',
      'get of a push config of an unknown task',
    );
    expectError(
      ctx,
      await ctx.client.deletePushConfig(taskId, configId, { label: 'delete a push config of an unknown task' }),
      'TaskNotFound',
      'delete of a push config of an unknown task',
    );
  },
});
