/**
 * push.config.ssrf-rejected (1.0, SHOULD) and push.config.ssrf-rejected-0-3 (MAY): 1.0 §13.2 asks agents to validate
 * webhook URLs against SSRF — reject private ranges, localhost and link-local addresses; topics-0.3 says servers
 * SHOULD NOT blindly POST to any URL and lists create-time allowlisting as one mitigation among others. The probe
 * registers configs pointing at a link-local cloud metadata address and at a private (RFC 1918) address on a task of
 * its own, parked in input-required (it emits nothing more, so nothing is ever delivered there), and deletes whatever
 * the agent accepted straight away.
 *
 * A refusal counts only when the same agent accepts a public URL for the same task (the control): otherwise the refusal
 * cannot be told from a broken create (push.config.create judges that).
 */
import { randomUUID } from 'node:crypto';
import { suite } from './suite.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Reply } from '../../src/protocol/client.js';
import type { PushConfig } from '../../src/protocol/model.js';
import { describeError } from '../lib/expect-error.js';
import { inputRequiredTask } from '../lib/tasks.js';
import { createOnce, UNROUTABLE_WEBHOOK, WEBHOOK_AUTH_SCHEME } from './webhook.js';

/** Webhook URLs an SSRF policy must refuse (§13.2): what the check registers, in this order. */
export const SSRF_URLS: readonly { what: string; url: string }[] = [
  { what: 'a link-local cloud metadata address', url: 'http://169.254.169.254/latest/meta-data/' },
  { what: 'a private (RFC 1918) address', url: 'http://10.0.0.1/hook' },
];

const C24_NOTE =
  "the harness's own delivery checks register its loopback receiver by default: an agent that adopts this " +
  'policy (and refuses loopback too) needs `webhook.publicUrl` in targets.yaml for them (§13 C24)';

function configFor(url: string): PushConfig {
  return {
    url,
    token: `conformance-ssrf-${randomUUID().slice(0, 8)}`,
    authentication: { scheme: WEBHOOK_AUTH_SCHEME, credentials: randomUUID() },
  };
}

/** Delete what the agent accepted (by id; without an id, every listed config with that URL). Never throws a finding. */
async function cleanUp(
  ctx: CheckContext,
  taskId: string,
  created: { url: string; reply: Reply<PushConfig> }[],
): Promise<void> {
  for (const c of created) {
    if (!c.reply.ok) continue;
    let ids = c.reply.value.id ? [c.reply.value.id] : [];
    if (ids.length === 0) {
      const l = await ctx.client.listPushConfigs(taskId, {
        label: `clean-up: find the accepted config for ${c.url} (no id returned)`,
      });
      ids = l.ok ? l.value.filter((x) => x.url === c.url && x.id).map((x) => x.id!) : [];
      if (ids.length === 0) {
        ctx.note(
          `clean-up: the accepted config for ${c.url} could not be found to delete it` +
            `${l.ok ? '' : ` (${describeError(l.error)})`}`,
        );
        continue;
      }
    }
    for (const id of ids) {
      const d = await ctx.client.deletePushConfig(taskId, id, { label: `clean-up: delete the config for ${c.url}` });
      if (!d.ok) ctx.note(`clean-up: deleting config ${id} (${c.url}) failed: ${describeError(d.error)}`);
    }
  }
}

interface Accepted {
  what: string;
  url: string;
  id?: string;
}

/**
 * Register a config for each SSRF URL on a parked task of the check's own, then the public control when something
 * was refused; report accepted ones through `judge`. Whatever the agent accepted is deleted at once.
 */
async function probeSsrf(ctx: CheckContext, judge: (accepted: Accepted) => void): Promise<void> {
  const task = await inputRequiredTask(ctx);
  const created: { url: string; reply: Reply<PushConfig> }[] = [];
  try {
    const answers: { what: string; url: string; reply: Reply<PushConfig> }[] = [];
    for (const t of SSRF_URLS) {
      const { reply } = await createOnce(
        ctx,
        task.id,
        configFor(t.url),
        `create a push config for ${t.what} (${t.url})`,
      );
      answers.push({ ...t, reply });
      created.push({ url: t.url, reply });
    }
    const refused = answers.filter((a) => !a.reply.ok);
    if (refused.length > 0) {
      const controlUrl = `${UNROUTABLE_WEBHOOK}/ssrf-control-${randomUUID().slice(0, 8)}`;
      const { reply: control } = await createOnce(
        ctx,
        task.id,
        configFor(controlUrl),
        'control: create a push config for a public URL on the same task',
      );
      created.push({ url: controlUrl, reply: control });
      if (!control.ok) {
        const why =
          `a public URL is refused as well (${describeError(control.error)}), so the refusals cannot be ` +
          `attributed to an SSRF policy; see push.config.create`;
        if (refused.length === answers.length) return ctx.untestable(`every push config was refused: ${why}`);
        ctx.note(`control: ${why}`);
      } else {
        for (const a of refused)
          ctx.note(
            `${a.what} (${a.url}) refused: ${a.reply.ok ? '' : describeError(a.reply.error)}; a public URL ` +
              `is accepted`,
          );
      }
    }
    const accepted = answers.filter((a) => a.reply.ok);
    for (const a of accepted) {
      const id = a.reply.ok ? a.reply.value.id : undefined;
      judge({ what: a.what, url: a.url, ...(id ? { id } : {}) });
    }
    if (accepted.length > 0) ctx.note(`deleted again at once; ${C24_NOTE}`);
    else ctx.note(C24_NOTE);
  } finally {
    await cleanUp(ctx, task.id, created);
  }
}

const acceptedMessage = (a: Accepted) =>
  `a push config for ${a.what} (${a.url}) was accepted${a.id ? ` (id ${a.id})` : ''}`;

export const SSRF_SCENARIO = 'push.config.ssrf-rejected';

export const ssrfRejected = suite.check({
  id: 'push.config.ssrf-rejected',
  level: 'SHOULD',
  scenario: SSRF_SCENARIO,
  title: 'Push configs with link-local or private webhook URLs are rejected (SSRF)',
  requirement:
    'Agents SHOULD validate webhook URLs to prevent SSRF attacks: reject private IP ranges (10.0.0.0/8, ' +
    '172.16.0.0/12, 192.168.0.0/16), localhost and link-local addresses. Creating a push config for ' +
    'http://169.254.169.254/latest/meta-data/ or http://10.0.0.1/hook is refused.',
  stance:
    'A refusal counts only when a public URL is accepted for the same task (control); if every URL is ' +
    'refused the check is untestable. Any error counts as a refusal (the spec names none). Accepted configs ' +
    'are deleted at once; their task stays parked in input-required, so nothing is delivered to them. The ' +
    "harness's delivery checks use a loopback receiver by default, which this very policy refuses (§13 C24): " +
    'set `webhook.publicUrl` for such agents.',
  specRefs: { '1.0': [{ section: '13.2', req: 'S10-x12' }, { section: '3.1.7' }] },
  requires: { capabilities: ['pushNotifications'], triggers: ['input-required'] },
  run: (ctx) =>
    probeSsrf(ctx, (a) =>
      ctx.violated(acceptedMessage(a), {
        expected: 'a rejection: the webhook URL targets a private / link-local address (§13.2)',
        actual: `accepted${a.id ? `, config id ${a.id}` : ''}`,
      }),
    ),
});

/**
 * 0.3 grades the same probe MAY: topics-0.3 "Servers SHOULD NOT blindly trust and send POST requests to any `url`"
 * and lists as mitigations allowlisting, ownership verification (a challenge before sending notifications) and
 * network (egress) controls. Only the first acts when the config is set; the others act later or outside the
 * protocol, so accepting a private URL at create time is no evidence of a breach: it is reported (info), not warned.
 */
export const ssrfRejected03 = suite.check({
  id: 'push.config.ssrf-rejected-0-3',
  level: 'MAY',
  scenario: SSRF_SCENARIO,
  title: '0.3: push configs with link-local or private webhook URLs may be rejected when set (SSRF allowlisting)',
  requirement:
    'Servers SHOULD NOT blindly trust and send POST requests to any url provided by a client in ' +
    'PushNotificationConfig (SSRF). Refusing a config for http://169.254.169.254/latest/meta-data/ or ' +
    'http://10.0.0.1/hook when it is set (allowlisting) is one mitigation the server MAY choose.',
  stance:
    '0.3 allows ownership verification (a challenge to the webhook before any notification) or egress network ' +
    'controls instead of refusing at create time, and neither is visible to a black-box create: an accepted ' +
    'private URL is reported as info (the strategy the agent chose), never a warning. Nothing is delivered to ' +
    'the accepted configs: their task stays parked in input-required and they are deleted at once. A refusal ' +
    'counts only when a public URL is accepted for the same task; on HTTP+JSON a refused bare body is retried ' +
    'in the {config: …} form of the 0.3 prose (§13 C20), as push.config.create does.',
  specRefs: { '0.3': [{ section: '9.5', req: 'S03-32', note: 'topics/streaming-and-async: webhook URL validation' }] },
  requires: { capabilities: ['pushNotifications'], triggers: ['input-required'] },
  run: (ctx) =>
    probeSsrf(ctx, (a) =>
      ctx.violated(
        `${acceptedMessage(a)} when set: no create-time allowlist (0.3 also allows ownership verification or ` +
          'network controls, which a black-box create cannot see)',
        {
          expected: 'a refusal when the config is set (allowlisting), or another mitigation not visible here',
          actual: `accepted${a.id ? `, config id ${a.id}` : ''}`,
        },
      ),
    ),
});
