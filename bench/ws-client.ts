/**
 * A lean WebSocket client for benches (RFC 6455, the subset a server built on `ws` speaks): thousands of
 * sockets in one process on a 2-core machine, so each received frame costs a header read and a callback,
 * with no per-message object but the payload slice. Server frames are unfragmented and unmasked (ws never
 * fragments what it sends); client frames are masked with a zero key (the RFC's masking, no XOR needed).
 * Answers the server's pings; reports the close code.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawSocket {
  send(text: string): void;
  /** Stops reading (a slow consumer) / reads again. */
  pause(): void;
  resume(): void;
  close(): void;
  /** Resolves with the close code the server sent (1006 when the connection just ended). */
  readonly closed: Promise<number>;
}

export interface OpenOptions {
  port: number;
  path: string;
  headers?: Record<string, string>;
  onMessage(payload: Buffer): void;
}

const ZERO_MASK = Buffer.alloc(4);

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, ZERO_MASK, payload]);
}

export function openWs(opts: OpenOptions): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: opts.port });
    socket.setNoDelay(true);
    let handshaking = true;
    let pending: Buffer | null = null;
    let closeCode = 1006;
    let settleClosed: (code: number) => void = () => {};
    const closed = new Promise<number>((r) => {
      settleClosed = r;
    });
    const raw: RawSocket = {
      send: (text) => {
        if (!socket.destroyed) socket.write(frame(0x1, Buffer.from(text)));
      },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      close: () => {
        if (socket.destroyed) return;
        const body = Buffer.alloc(2);
        body.writeUInt16BE(1000);
        socket.end(frame(0x8, body));
      },
      closed,
    };

    const onFrames = (chunk: Buffer) => {
      const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = null;
      let offset = 0;
      while (buf.length - offset >= 2) {
        const opcode = (buf[offset] as number) & 0x0f;
        let length = (buf[offset + 1] as number) & 0x7f;
        let start = offset + 2;
        if (length === 126) {
          if (buf.length - offset < 4) break;
          length = buf.readUInt16BE(offset + 2);
          start = offset + 4;
        } else if (length === 127) {
          if (buf.length - offset < 10) break;
          length = Number(buf.readBigUInt64BE(offset + 2));
          start = offset + 10;
        }
        if (buf.length < start + length) break;
        const payload = buf.subarray(start, start + length);
        offset = start + length;
        if (opcode === 0x1 || opcode === 0x2) opts.onMessage(payload);
        else if (opcode === 0x9) socket.write(frame(0xa, Buffer.from(payload)));
        else if (opcode === 0x8) {
          closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          if (!socket.destroyed) socket.end(frame(0x8, Buffer.from(payload.subarray(0, 2))));
        }
      }
      if (offset < buf.length) pending = Buffer.from(buf.subarray(offset));
    };

    socket.on('data', (chunk: Buffer) => {
      if (!handshaking) {
        onFrames(chunk);
        return;
      }
      const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        pending = data;
        return;
      }
      pending = null;
      const head = data.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        return;
      }
      handshaking = false;
      resolve(raw);
      if (data.length > end + 4) onFrames(data.subarray(end + 4));
    });
    socket.on('error', (error) => {
      if (handshaking) reject(error);
    });
    socket.on('close', () => settleClosed(closeCode));
    const headers = Object.entries(opts.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(
      `GET ${opts.path} HTTP/1.1\r\nHost: 127.0.0.1:${opts.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${headers}\r\n`,
    );
  });
}

/** The message type of a frame the live room sends, from its first bytes: `{"type":"<t>"…`. */
export function frameType(payload: Buffer): string {
  const end = payload.indexOf(34, 9); // the closing quote of the type
  return payload.toString('latin1', 9, end);
}

/** A non-negative integer that follows `key` (e.g. `"seq":`) in the first bytes of a frame; -1 when absent. */
export function intAfter(payload: Buffer, key: Buffer, from = 0, within = 80): number {
  const at = payload.indexOf(key, from);
  if (at < 0 || at > from + within) return -1;
  let n = 0;
  let i = at + key.length;
  let digits = 0;
  for (; i < payload.length; i++) {
    const c = payload[i] as number;
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  return digits > 0 ? n : -1;
}
