/**
 * The request headers a log line may show. An allow-list, not a deny-list: credentials come in
 * headers nobody thought of (Proxy-Authorization, cookies, X-Auth-Token...), and one missed
 * name would put a key in every error line.
 */
export const LOGGED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'user-agent',
  'accept',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
]);

interface SerializedRequest {
  headers?: Record<string, unknown>;
  [field: string]: unknown;
}

/** pino-http's serialized request with every other header left out (its name is kept). */
export function withLoggableHeaders(req: SerializedRequest): SerializedRequest {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    headers[name] = LOGGED_HEADERS.has(name) ? value : '[not logged]';
  }
  return { ...req, headers };
}

/** What a log line may say about a request in flight: method, url and the listed headers. */
export function loggableRequest(req: {
  method?: string;
  url?: string;
  headers: Record<string, unknown>;
}): SerializedRequest {
  return withLoggableHeaders({ method: req.method, url: req.url, headers: req.headers });
}
