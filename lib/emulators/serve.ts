import http from 'node:http';

export type FetchHandler = (request: Request) => Promise<Response>;

/** Serves a fetch-style handler (Request → Response) on a node http server: the standalone emulators. */
export function serveFetchHandler(handler: FetchHandler, port: number, host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        else if (value !== undefined) headers.set(key, value);
      }
      const url = `http://${req.headers.host ?? `${host}:${port}`}${req.url ?? '/'}`;
      const request = new Request(url, {
        method: req.method,
        headers,
        body: body && req.method !== 'GET' && req.method !== 'HEAD' ? body : undefined,
      });
      const response = await handler(request);
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => {
        outHeaders[key] = key === 'set-cookie' ? response.headers.getSetCookie() : value;
      });
      res.writeHead(response.status, outHeaders);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  // Idle keep-alive connections stay open longer than a client keeps them (as Zoom's and Google's load
  // balancers do): with Node's 5 s default, a test process whose event loop is busy (PGlite runs in it)
  // could reuse a connection the server was closing at that moment and get ECONNRESET.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
