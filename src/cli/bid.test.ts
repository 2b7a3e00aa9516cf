import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  makeDiskPlatform,
  makeTestPlatform,
  TEST_PASSWORD,
  type TestPlatform,
} from '../../test/support/platform.ts';
import type { SignedBidReceipt } from '../trading/bids/index.ts';
import { openLotForBidding } from '../trading/bids/test-factory.ts';
import { type BidIo, bidPack, bidSubmit, bidVerifyReceipt, bidWithdraw, submitPackedBid } from './bid.ts';

/**
 * `ggzy bid` end to end against a real listening server: pack → submit through a proxy that cuts the
 * connection in the middle of a chunk (the submit resumes from HEAD and finishes) → verify the receipt
 * offline → withdraw; and a server killed (SIGKILL) in the middle of an upload and started again.
 */
const START = '2026-03-02T01:00:00.000Z';
const ROOT = path.resolve(import.meta.dirname, '../..');

function captureIo(): BidIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l) };
}

/** A TCP proxy that, once, destroys the connection after `cutAfter` bytes from the client. */
async function flakyProxy(target: number, cutAfter: number) {
  let forwarded = 0;
  let cut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (data) => {
      forwarded += data.length;
      if (!cut && forwarded > cutAfter) {
        cut = true;
        upstream.write(data.subarray(0, Math.max(0, data.length - (forwarded - cutAfter))));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(data);
    });
    upstream.on('data', (data) => client.write(data));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    wasCut: () => cut,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('ggzy bid against a listening server', () => {
  let p: TestPlatform;
  let port: number;

  beforeAll(async () => {
    p = await makeTestPlatform({
      GGZY_LOGIN_RATE_MAX: '100000',
      GGZY_REGISTRATION_RATE_MAX: '100000',
      GGZY_SESSION_HOURS: String(24 * 30),
    });
    p.clock.set(START);
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    port = (p.app.server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await p.close();
  });

  test('pack, submit over a link cut mid-chunk, verify the receipt offline, withdraw', async () => {
    p.clock.set(START);
    const lot = await openLotForBidding(p, { bidders: 1 });
    const bidder = lot.bidders[0]!;
    const work = await mkdtemp(path.join(os.tmpdir(), 'ggzy-cli-'));
    try {
      const technical = path.join(work, '技术标.bin');
      await writeFile(technical, randomBytes(20 * 1024 * 1024));
      const out = path.join(work, 'bid');
      const server = `http://127.0.0.1:${port}`;
      const login = { server, username: bidder.account.username, password: TEST_PASSWORD };

      const packIo = captureIo();
      const packed = await bidPack(
        {
          ...login,
          lot: lot.lot.id,
          part: ['summary:price=1234567.89,duration=365', `technical:${technical}`],
          certDir: bidder.keys.certDir,
          out,
        },
        packIo,
      );
      expect(packed, packIo.lines.join('\n')).toBe(0);

      const badIo = captureIo();
      const refused = await bidPack(
        {
          ...login,
          lot: lot.lot.id,
          part: ['summary:price=abc'],
          certDir: bidder.keys.certDir,
          out: path.join(work, 'x'),
        },
        badIo,
      );
      expect(refused).toBe(2);
      expect(badIo.lines.join()).toContain('工期/交货期');

      // The link breaks once, 12 MB into the upload — in the middle of the second 8 MiB chunk.
      const proxy = await flakyProxy(port, 12 * 1024 * 1024);
      const submitIo = captureIo();
      const code = await bidSubmit(
        {
          dir: out,
          server: `http://127.0.0.1:${proxy.port}`,
          username: login.username,
          password: TEST_PASSWORD,
          backoffMs: 50,
        },
        submitIo,
      );
      await proxy.close();
      expect(code, submitIo.lines.join('\n')).toBe(0);
      expect(proxy.wasCut()).toBe(true);
      expect(submitIo.lines.join('\n')).toContain('断点续传');
      const receipt = JSON.parse(await readFile(path.join(out, 'receipt.json'), 'utf8')) as SignedBidReceipt;
      expect(receipt.receipt.parts[1]!.sealedLength).toBeGreaterThan(20 * 1024 * 1024);

      // Offline, with the published key in a file.
      const keys = (await (await fetch(`${server}/api/witness/public-key`)).json()) as {
        current: { publicKeyPem: string };
      };
      const keyFile = path.join(work, 'platform-key.pem');
      await writeFile(keyFile, keys.current.publicKeyPem);
      const verifyIo = captureIo();
      expect(await bidVerifyReceipt(path.join(out, 'receipt.json'), { trust: [keyFile] }, verifyIo)).toBe(0);
      expect(verifyIo.lines.join()).toContain('回执有效');
      const tampered = {
        ...receipt,
        receipt: { ...receipt.receipt, receivedAt: '2026-03-01T00:00:00.000Z' },
      };
      await writeFile(path.join(work, 'tampered.json'), JSON.stringify(tampered));
      const tamperedIo = captureIo();
      expect(await bidVerifyReceipt(path.join(work, 'tampered.json'), { trust: [keyFile] }, tamperedIo)).toBe(
        1,
      );

      const withdrawIo = captureIo();
      expect(await bidWithdraw({ ...login, receipt: path.join(out, 'receipt.json') }, withdrawIo)).toBe(0);
      const liveIo = captureIo();
      expect(await bidVerifyReceipt(path.join(out, 'receipt.json'), { server }, liveIo)).toBe(0);
      expect(liveIo.lines.join()).toContain('已被投标人撤回');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------------------ server killed

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'ggzy.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      GGZY_DATA_DIR: dataDir,
      // The data was made on the embedded database in dataDir, also when the suite runs on PostgreSQL.
      DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      GGZY_CHECKPOINT_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('已启动')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`ggzy serve exited ${code}: ${output}`)));
  });
}

describe('a server killed during an upload', () => {
  test('SIGKILL half way, restart, the submit resumes from HEAD and gets a valid receipt; nothing is lost', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-kill-'));
    const children: ChildProcess[] = [];
    try {
      const setup = await makeDiskPlatform(dataDir);
      const lot = await openLotForBidding(setup, { bidders: 1 });
      const bidder = lot.bidders[0]!;
      await setup.close();

      const port = await freePort();
      children.push(await startServer(dataDir, port));
      const server = `http://127.0.0.1:${port}`;
      const work = await mkdtemp(path.join(os.tmpdir(), 'ggzy-kill-bid-'));
      const technical = path.join(work, 'tech.bin');
      await writeFile(technical, randomBytes(24 * 1024 * 1024));
      const out = path.join(work, 'bid');
      const login = { server, username: bidder.account.username, password: TEST_PASSWORD };
      const io = captureIo();
      expect(
        await bidPack(
          {
            ...login,
            lot: lot.lot.id,
            part: ['summary:price=100,duration=30', `technical:${technical}`],
            certDir: bidder.keys.certDir,
            out,
          },
          io,
        ),
        io.lines.join('\n'),
      ).toBe(0);

      let killed = false;
      let restarted: Promise<ChildProcess> | null = null;
      const submitIo: BidIo & { lines: string[] } = {
        ...captureIo(),
        progress: (line) => {
          const percent = Number(/(\d+\.\d)%/.exec(line)?.[1] ?? 0);
          if (!killed && percent >= 30) {
            killed = true;
            children[0]!.kill('SIGKILL');
            restarted = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
              startServer(dataDir, port),
            );
          }
        },
      };
      const receipt = await submitPackedBid(
        { dir: out, ...login, chunkBytes: 2 * 1024 * 1024, backoffMs: 300, retries: 30 },
        submitIo,
      );
      expect(killed).toBe(true);
      children.push(await restarted!);
      expect(submitIo.lines.join('\n')).toContain('断点续传');
      const keys = (await (await fetch(`${server}/api/witness/public-key`)).json()) as {
        keys: { publicKeyPem: string }[];
      };
      const { verifyReceipt } = await import('../trading/bids/index.ts');
      expect(
        verifyReceipt(
          receipt,
          keys.keys.map((k) => k.publicKeyPem),
        ).ok,
      ).toBe(true);
      // The platform has exactly this bid as the bidder's live bid.
      const token = (await (
        await fetch(`${server}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            username: bidder.account.username,
            password: TEST_PASSWORD,
            tokenKind: 'bearer',
          }),
        })
      ).json()) as { token: string };
      const mine = (await (
        await fetch(`${server}/api/lots/${lot.lot.id}/my-bid`, {
          headers: { authorization: `Bearer ${token.token}` },
        })
      ).json()) as { bidId: string; manifestSm3: string };
      expect(mine.bidId).toBe(receipt.receipt.bidId);
      await rm(work, { recursive: true, force: true });
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
