/**
 * Where a declared gRPC interface is dialled. Cards spell the URL in two ways: a URL (`https://host[:port][/path]`,
 * the 1.0 / 1.0.1 proto comment and examples) or `host:port` (the proto comment after 1.0.1). TLS follows the
 * scheme (`https`/`grpcs` → TLS, `http`/`grpc` → plaintext); a bare `host:port` inherits the security of the
 * target's base URL (an `http://` target is dialled in plaintext, anything else with TLS). gRPC routes by
 * `/package.Service/Method` only, so a URL path cannot be honoured; it is kept so findings can mention it.
 */

export interface GrpcEndpoint {
  /** `host:port` as dialled. */
  address: string;
  tls: boolean;
  /** How the card spelled it. */
  form: 'url' | 'host-port';
  /** Path of a URL-form interface (ignored when dialling), '' when none. */
  path: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

export function parseGrpcUrl(url: string, targetUrl: string): GrpcEndpoint | { error: string } {
  const u = url.trim();
  if (u === '') return { error: 'the interface URL is empty' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return { error: `"${u}" is not a valid URL` };
    }
    const scheme = parsed.protocol.slice(0, -1).toLowerCase();
    const tls = scheme === 'https' || scheme === 'grpcs';
    if (!tls && scheme !== 'http' && scheme !== 'grpc')
      return { error: `scheme "${scheme}:" cannot carry gRPC (use https, grpcs, http or grpc)` };
    if (!parsed.hostname) return { error: `"${u}" has no host` };
    const port = parsed.port || (tls ? '443' : '80');
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return { address: `${parsed.hostname}:${port}`, tls, form: 'url', path };
  }
  const m = HOST_PORT.exec(u);
  if (!m) return { error: `"${u}" is neither a URL nor host:port` };
  const tls = !/^http:/i.test(targetUrl);
  const port = m[2] ?? '443';
  if (Number(port) < 1 || Number(port) > 65535) return { error: `port ${port} is out of range` };
  return { address: `${m[1]}:${port}`, tls, form: 'host-port', path: '' };
}
