// A fetch for the SDK's transports that speaks HTTP/2 over TLS (ALPN h2) with node:http2: Node's global fetch
// (undici) uses HTTP/1.1 unless given an allowH2 dispatcher, which needs the undici package. One session is
// reused for every request, as a browser or undici would. Corpus use only: the certificate is not checked.
import http2 from 'node:http2';
import { Readable } from 'node:stream';

export function createH2Fetch(origin) {
  let session;
  const connect = () => {
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(origin, { rejectUnauthorized: false });
      session.on('error', () => {});
    }
    return session;
  };
  const h2fetch = (input, init = {}) => new Promise((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = { ':method': init.method ?? 'GET', ':path': url.pathname + url.search };
    for (const [name, value] of new Headers(init.headers ?? {})) headers[name] = value;
    const stream = connect().request(headers);
    init.signal?.addEventListener('abort', () => stream.close(http2.constants.NGHTTP2_CANCEL), { once: true });
    stream.on('error', reject);
    stream.on('response', (h) => {
      const status = h[':status'];
      const out = new Headers();
      for (const [name, value] of Object.entries(h)) {
        if (!name.startsWith(':')) out.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
      const empty = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
      if (empty) stream.resume();
      resolve(new Response(empty ? null : Readable.toWeb(stream), { status, headers: out }));
    });
    if (init.body != null) stream.end(typeof init.body === 'string' ? init.body : Buffer.from(init.body));
    else stream.end();
  });
  h2fetch.close = () => session?.close();
  return h2fetch;
}
