import * as net from 'node:net';
import type { Logger } from 'pino';
import { Connection, type ConnectionOptions } from './connection.js';

export interface ServerOptions extends ConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Idle connections are closed after this long (Kafka's connections.max.idle.ms). */
  readonly connectionsMaxIdleMs: number;
}

/** The TCP listener: accepts connections and tracks them so that close() can end them all. */
export class KafkaServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private readonly logger: Logger;

  constructor(private readonly options: ServerOptions) {
    this.logger = options.logger;
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.logger.error({ err }, 'server error'));
  }

  private accept(socket: net.Socket): void {
    socket.setTimeout(this.options.connectionsMaxIdleMs, () => {
      this.logger.debug({ remote: socket.remoteAddress }, 'closing idle connection');
      socket.destroy();
    });
    const connection = new Connection(socket, this.nextId++, this.options);
    this.connections.add(connection);
    socket.once('close', () => this.connections.delete(connection));
  }

  /** Starts listening; resolves with the bound port (useful when port 0 picked a free one). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.options.host, port: this.options.port }, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, closes every connection, and resolves when all are gone. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const closing = [...this.connections].map((c) => {
      c.close();
      return c.closedPromise;
    });
    await Promise.all([stopped, ...closing]);
  }
}
