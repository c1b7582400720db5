/** An HTTP relay in front of a server that counts the requests it passes on, by method and path. */
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from '../../lib/test-support/local-server.js';

export class CountingRelay {
  readonly requests: Array<{ method: string; path: string }> = [];
  url = '';

  private constructor(
    readonly target: string,
    readonly server: Server,
  ) {}

  static async start(target: string): Promise<CountingRelay> {
    const server = createServer();
    const relay = new CountingRelay(target.replace(/\/+$/, ''), server);
    server.on('request', (req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const url = new URL(req.url ?? '/', 'http://relay');
        relay.requests.push({ method: req.method ?? 'GET', path: url.pathname });
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'authorization']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${relay.target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body !== undefined && req.method !== 'GET' ? { body } : {}),
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch((error: unknown) => {
        res.writeHead(502).end(String(error));
      });
    });
    relay.url = await listenLocally(server);
    return relay;
  }

  count(method: string, pathPrefix: string): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await closeServer(this.server);
  }
}
