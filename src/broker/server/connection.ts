import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { BrokerContext } from '../brokerContext.js';
import { type ConnectionInfo, type Handler, NO_RESPONSE, type RequestContext } from '../handlers/handler.js';
import { decodeRequest, encodeResponse, isFlexible, supports } from '../protocol/api.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import { FrameDecoder } from '../protocol/frameDecoder.js';
import { ApiVersions } from '../protocol/messages/apiVersions.js';
import { ProtocolError } from '../protocol/protocolError.js';
import { Reader } from '../protocol/reader.js';
import {
  type RequestHeader,
  readRequestHeader,
  skipHeaderTags,
  writeResponseHeader,
} from '../protocol/requestHeader.js';
import { Writer } from '../protocol/writer.js';
import type { Faults } from './faults.js';

export interface ConnectionOptions {
  readonly handlers: ReadonlyMap<number, Handler>;
  readonly broker: BrokerContext;
  readonly faults: Faults;
  readonly maxRequestBytes: number;
  readonly logger: Logger;
}

/** Frames waiting beyond this pause reading from the socket until the backlog drains. */
const MAX_QUEUED_FRAMES = 256;
/** Unsent response bytes beyond this make the connection wait for the socket to drain. */
const MAX_PENDING_WRITE_BYTES = 8 * 1024 * 1024;

/**
 * One client connection. Requests are handled one at a time, in the order they arrived, and
 * answered in that order, as Kafka does; a request that waits (a long-polling Fetch, a JoinGroup)
 * holds up only its own connection. Anything that does not follow the protocol closes the
 * connection and is logged; the broker and every other connection carry on.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly seenApis = new Set<string>();
  readonly info: ConnectionInfo;
  /** Resolves once the socket has closed. */
  readonly closedPromise: Promise<void>;
  private readonly logger: Logger;

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly options: ConnectionOptions,
  ) {
    this.info = { id, remoteAddress: socket.remoteAddress ?? '?', remotePort: socket.remotePort ?? 0 };
    this.logger = options.logger.child({
      conn: id,
      remote: `${this.info.remoteAddress}:${this.info.remotePort}`,
    });
    this.decoder = new FrameDecoder(options.maxRequestBytes);
    socket.setNoDelay(true);
    socket.on('data', (data) => this.onData(data));
    socket.on('error', (err) => this.logger.debug({ err }, 'socket error'));
    socket.on('close', () => this.onClose());
    this.closedPromise = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.logger.debug('connection opened');
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.logger.warn({ reason }, 'closing connection');
    this.abort.abort();
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.abort.abort();
    this.queue.length = 0;
    this.logger.debug('connection closed');
  }

  private onData(data: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(data);
    } catch (err) {
      this.close(err instanceof ProtocolError ? err.message : String(err));
      return;
    }
    if (frames.length === 0) return;
    this.queue.push(...frames);
    if (this.queue.length > MAX_QUEUED_FRAMES) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        await this.process(this.queue.shift()!);
        if (this.socket.writableLength > MAX_PENDING_WRITE_BYTES && !this.closed) {
          await new Promise<void>((resolve) => {
            this.socket.once('drain', resolve);
            this.socket.once('close', resolve);
          });
        }
        if (this.queue.length <= MAX_QUEUED_FRAMES / 2 && this.socket.isPaused()) this.socket.resume();
      }
    } finally {
      this.processing = false;
    }
  }

  private async process(frame: Buffer): Promise<void> {
    let header: RequestHeader | undefined;
    try {
      const reader = new Reader(frame);
      header = readRequestHeader(reader);
      const handler = this.options.handlers.get(header.apiKey);
      if (!handler) throw new ProtocolError(`unknown API key ${header.apiKey}`);
      const { api } = handler;
      if (!supports(api, header.apiVersion)) {
        if (header.apiKey === ApiVersions.key) {
          this.answerUnsupportedApiVersions(header);
          return;
        }
        throw new ProtocolError(`${api.name} v${header.apiVersion} is not supported`);
      }
      this.noteApi(api.name, header);
      if (isFlexible(api, header.apiVersion)) skipHeaderTags(reader);
      const request = decodeRequest(api, header.apiVersion, reader);
      const fault = this.options.faults.take(header, request);
      if (fault?.action === 'close-before') {
        this.close(`fault injected: close before ${api.name}`);
        return;
      }
      const ctx: RequestContext = {
        version: header.apiVersion,
        header,
        connection: this.info,
        broker: this.options.broker,
        logger: this.logger,
        signal: this.abort.signal,
      };
      const response = await handler.handle(request, ctx);
      if (response === NO_RESPONSE || this.closed) return;
      if (fault?.action === 'drop-response') return;
      if (fault?.action === 'close-after') {
        this.close(`fault injected: close after ${api.name}`);
        return;
      }
      if (fault?.action === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
      const w = new Writer();
      // ApiVersions answers with response header v0 even when its body is flexible (KIP-511).
      writeResponseHeader(
        w,
        header.correlationId,
        isFlexible(api, header.apiVersion) && api.key !== ApiVersions.key,
      );
      encodeResponse(api, header.apiVersion, response, w);
      this.send(w);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.close(
          `${err.message}${header ? ` (api ${header.apiKey} v${header.apiVersion}, client ${header.clientId})` : ''}`,
        );
      } else {
        this.logger.error({ err, apiKey: header?.apiKey, apiVersion: header?.apiVersion }, 'request failed');
        this.close('internal error while handling a request');
      }
    }
  }

  /**
   * A client asking for an ApiVersions version above ours gets UNSUPPORTED_VERSION with the v0
   * body and our ranges, so that it can retry with one we speak (KIP-511).
   */
  private answerUnsupportedApiVersions(header: RequestHeader): void {
    this.noteApi('ApiVersions', header);
    const w = new Writer();
    writeResponseHeader(w, header.correlationId, false);
    encodeResponse(
      ApiVersions,
      0,
      { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [...this.options.broker.apis], throttleTimeMs: 0 },
      w,
    );
    this.send(w);
  }

  private send(w: Writer): void {
    if (this.closed) return;
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length, 0);
    const chunks = w.finish();
    this.socket.cork();
    this.socket.write(size);
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }

  /** Logs each (API, version) a connection uses once, to see what each client negotiated. */
  private noteApi(name: string, header: RequestHeader): void {
    const key = `${header.apiKey}:${header.apiVersion}`;
    if (this.seenApis.has(key)) return;
    this.seenApis.add(key);
    this.logger.debug(
      { api: name, version: header.apiVersion, clientId: header.clientId },
      'client uses API',
    );
  }
}
