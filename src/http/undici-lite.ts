/**
 * The two parts of undici the harness uses, `Agent` and `request`, loaded without the package's index: the index
 * loads every other part as well (fetch, WebSocket, EventSource, mocks, caches, interceptors), ~60 ms of CPU at every
 * start. undici is pinned to an exact version in package.json; these paths are its own CommonJS modules.
 *
 * `request(url, opts)` is what the index exports: the URL parsed by undici's own parseURL (same checks and errors),
 * then the request API called on `opts.dispatcher`.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;

const apiRequest = require('undici/lib/api/api-request.js') as (
  this: Undici.Dispatcher,
  opts: Undici.Dispatcher.RequestOptions,
) => Promise<Undici.Dispatcher.ResponseData>;
const { parseURL } = require('undici/lib/core/util.js') as { parseURL(url: string): URL };

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method?: Undici.Dispatcher.HttpMethod;
  dispatcher: Undici.Dispatcher;
};

export function request(url: string, opts: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const u = parseURL(url);
  return apiRequest.call(opts.dispatcher, {
    ...opts,
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}
