/**
 * auth.extended-card.caching: 1.0 §13.3 asks agents to control client-side caching of the extended card with HTTP
 * caching headers. Judged where HTTP caching means something: the HTTP+JSON GET /extendedAgentCard. JSON-RPC carries
 * the card in the response to a POST, which HTTP caches do not reuse (RFC 9111 §9.3.3 aside), so it is skipped there.
 */
import { suite } from './suite.js';
import { describeError } from '../lib/expect-error.js';

export const extendedCardCaching = suite.check({
  id: 'auth.extended-card.caching',
  level: 'SHOULD',
  title: 'The extended card is served with caching headers (Cache-Control)',
  requirement:
    'Agents SHOULD implement appropriate caching headers to control client-side caching of extended cards: ' +
    'the authenticated GET of the extended card (HTTP+JSON) carries Cache-Control.',
  stance:
    'Only the HTTP+JSON binding is judged: a JSON-RPC POST response has no HTTP caching semantics (skip). ' +
    'Any Cache-Control directive passes; ETag or Expires alone do not control caching and warn. `public` on ' +
    'a card served to an authenticated caller (whose content may vary by caller, §13.3) is noted, not failed.',
  specRefs: { '1.0': [{ section: '13.3', req: 'S10-x15' }, { section: '3.1.11' }] },
  requires: { capabilities: ['extendedCard'] },
  async run(ctx) {
    if (ctx.binding !== 'rest')
      return ctx.skip(
        'JSON-RPC carries the extended card in the response to a POST: HTTP caching headers do not apply ' +
          '(judged on HTTP+JSON)',
      );
    const r = await ctx.client.extendedCard({ label: 'GET the extended card with credentials' });
    if (!r.ok)
      return ctx.untestable(
        `fetching the extended card with credentials failed (${describeError(r.error)}); see auth.extended-card.fetch`,
      );
    const h = r.exchange.response?.headers ?? {};
    const cc = h['cache-control']?.trim();
    if (!cc) {
      const others = ['etag', 'expires', 'last-modified'].filter((k) => h[k]).map((k) => `${k}: ${h[k]}`);
      ctx.violated('the extended card response carries no Cache-Control header', {
        expected: 'Cache-Control controlling client caching, e.g. "private, max-age=<seconds>" or "no-store"',
        actual: others.length ? `(absent; only ${others.join(', ')})` : '(absent)',
      });
      return;
    }
    ctx.note(`Cache-Control: ${cc}`);
    if (/(^|[\s,])public([\s,]|$)/i.test(cc) && !/no-store/i.test(cc))
      ctx.note(
        '`public` lets shared caches store a card served to an authenticated caller, whose content may vary ' +
          'by caller (§13.3); `private` keeps it to the client',
      );
  },
});
