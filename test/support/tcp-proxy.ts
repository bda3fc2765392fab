import { createConnection, createServer, Server, Socket } from 'net';

interface Link {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP forwarder that a test can cut: `stop()` closes the listener and destroys every open
 * connection, so the client behind it sees its dependency vanish. `start()` again on the same
 * port brings it back. `hold()` stalls it instead: connections stay open and nothing passes
 * either way until `release()`, like a server that stops answering.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly links = new Set<Link>();
  private held = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Proxies `url`'s host:port; `withProxy(url)` gives the URL to hand to the client. */
  static for(url: string): TcpProxy {
    const target = new URL(url);
    return new TcpProxy(target.hostname, Number(target.port));
  }

  withProxy(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  async start(): Promise<number> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Bytes already sent stay unread in the sockets' buffers until `release()`. */
  hold(): void {
    if (this.held) return;
    this.held = true;
    for (const { client, upstream } of this.links) {
      client.unpipe(upstream);
      upstream.unpipe(client);
    }
  }

  release(): void {
    if (!this.held) return; // a second pipe would send every byte twice
    this.held = false;
    for (const link of this.links) this.forward(link);
  }

  private pipe(client: Socket): void {
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    const link = { client, upstream };
    this.links.add(link);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // a cut connection is the point, not a failure
    }
    if (!this.held) this.forward(link);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      this.links.delete(link);
      client.destroy();
    });
  }

  private forward({ client, upstream }: Link): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
