/**
 * card.interfaces.https: 0.3 §3.1/§4.1 and 1.0 §7.1/§13.4 "Production deployments MUST use encrypted communication
 * (HTTPS for HTTP-based bindings, TLS for gRPC)". Judged from the declared interface URLs (black-box, nothing dialled).
 * Whether a target is production is not observable, so targets.yaml says it (`production`); without it, plaintext on
 * a loopback host is a local test setup (skip) and plaintext elsewhere a warning. TLS versions, cipher suites and HSTS
 * (SHOULDs) need a TLS scanner and are not judged (S10-x26, S03-x18).
 */
import { suite } from './suite.js';
import type { Level } from '../../src/core/types.js';
import { interfaceTls, isLoopbackHost } from '../../src/discovery/interface-tls.js';
import type { DeclaredInterface } from '../../src/discovery/types.js';

/**
 * How a plaintext interface is graded, by targets.yaml `production`: true → the MUST; false → not judged (skip);
 * unset → a loopback host is a test setup (skip), another host a warning (probably production, but not said).
 */
const PLAINTEXT: Record<'true' | 'false' | 'unset', { loopback?: Level; remote?: Level }> = {
  true: { loopback: 'MUST', remote: 'MUST' },
  false: {},
  unset: { remote: 'SHOULD' },
};

const where = (i: DeclaredInterface) => `${i.source}[${i.index}] (${i.bindingName || 'no binding'})`;
const pathOf = (i: DeclaredInterface) => (i.source === 'url' ? '/url' : `/${i.source}/${i.index}/url`);

export const interfacesHttps = suite.check({
  id: 'card.interfaces.https',
  level: 'MUST',
  title: 'Production: every declared interface URL uses TLS (https://; gRPC https:// or grpcs://)',
  requirement:
    'Production deployments MUST use encrypted communication (HTTPS for HTTP-based bindings, TLS for gRPC): ' +
    'every interface the card declares for this version is an https:// URL (gRPC: https:// or grpcs://).',
  stance:
    'Whether a deployment is production is not observable: targets.yaml `production: true` grades plaintext ' +
    'interfaces as the MUST, `production: false` skips the check; unset, plaintext on a loopback host is a local ' +
    'test setup (skip) and plaintext on any other host warns. A gRPC host:port names no scheme: noted, and left ' +
    'to grpc.transport.tls. TLS 1.3, cipher suites and HSTS are SHOULDs that need a TLS scanner: not judged.',
  specRefs: {
    '0.3': [{ section: '4.1', req: 'S03-x01' }, { section: '3.1' }],
    '1.0': [
      { section: '7.1', req: 'S10-46' },
      { section: '13.4', req: 'S10-46' },
    ],
  },
  async run(ctx) {
    const mode = ctx.target.production === undefined ? 'unset' : ctx.target.production ? 'true' : 'false';
    if (mode === 'false')
      return ctx.skip('targets.yaml says production: false: the TLS requirement is for production deployments');
    const ifaces = ctx.card.versionInterfaces;
    if (ifaces.length === 0) return ctx.untestable(`the card declares no ${ctx.version} interface`);
    const rows = ifaces.map((i) => ({ i, ...interfaceTls(i) }));
    for (const r of rows.filter((x) => x.tls === undefined))
      ctx.note(`${where(r.i)} ${r.i.url}: TLS not readable from the URL (${r.why})`);
    const plain = rows.filter((r) => r.tls === false);
    if (plain.length === 0) {
      const tls = rows.filter((r) => r.tls === true).length;
      if (tls === 0) return ctx.untestable('no declared interface URL says whether it uses TLS');
      ctx.note(`${tls} of ${rows.length} declared interfaces use TLS; none is plaintext`);
      return;
    }
    const grade = PLAINTEXT[mode];
    let judged = 0;
    for (const r of plain) {
      const loopback = r.host !== undefined && isLoopbackHost(r.host);
      const level = loopback ? grade.loopback : grade.remote;
      if (!level) {
        ctx.note(`${where(r.i)} ${r.i.url}: plaintext on loopback (a local test setup)`);
        continue;
      }
      judged++;
      ctx.violatedAt(
        level,
        `${where(r.i)} ${r.i.url} is plaintext` +
          (mode === 'unset'
            ? ' on a non-loopback host (targets.yaml does not say whether this is production: `production: ' +
              'true` grades it as the MUST, `production: false` skips it)'
            : ' on a production deployment (targets.yaml production: true)'),
        { path: pathOf(r.i), expected: 'an https:// URL (TLS)', actual: r.i.url },
      );
    }
    if (judged === 0)
      return ctx.skip(
        'every plaintext interface is on a loopback host: a local test setup (set `production: true` in ' +
          'targets.yaml to grade it)',
      );
  },
});
