import type { HttpServer } from '../platform/http/index.ts';

/** The demo people the seed acts as. */
export type DemoUsername = 'admin' | 'zhaobiao' | 'daili' | 'toubiao1';
export type DemoPeople = Record<DemoUsername, DemoClient>;

/**
 * One signed-in demo person calling the platform's own API in-process (`app.inject`): the seed goes through
 * the same routes, validation, policies, use cases, witness events and jobs as a person in the browser, and
 * never writes a module's tables itself.
 */
export class DemoClient {
  constructor(
    private readonly app: HttpServer,
    private readonly token: string,
  ) {}

  get<T>(url: string): Promise<T> {
    return this.send<T>('GET', url);
  }

  post<T>(url: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', url, body);
  }

  put<T>(url: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', url, body);
  }

  /** GET that returns the raw bytes (a file download). */
  async download(url: string): Promise<Buffer> {
    const res = await this.app.inject({ method: 'GET', url, headers: this.headers() });
    if (res.statusCode !== 200) throw seedFailure('GET', url, res.statusCode, res.body);
    return res.rawPayload;
  }

  /** Uploads one file (an ASCII file name) as multipart/form-data to /api/blobs; returns its SHA-256. */
  async upload(filename: string, contentType: string, content: Buffer): Promise<string> {
    const boundary = `ggzy-demo-${Date.now().toString(36)}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
    const payload = Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/blobs',
      headers: { ...this.headers(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    if (res.statusCode !== 200 && res.statusCode !== 201) {
      throw seedFailure('POST', '/api/blobs', res.statusCode, res.body);
    }
    return (res.json() as { sha256: string }).sha256;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'user-agent': 'ggzy demo seed' };
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<T> {
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...this.headers(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    if (res.statusCode < 200 || res.statusCode >= 300)
      throw seedFailure(method, url, res.statusCode, res.body);
    return res.json() as T;
  }
}

/** A request of the seed the platform refused, with the problem's code (RFC 9457 body). */
export class DemoRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'DemoRequestError';
  }
}

function seedFailure(method: string, url: string, status: number, body: string): DemoRequestError {
  let code: string | null = null;
  try {
    const problem = JSON.parse(body) as { code?: unknown };
    if (typeof problem.code === 'string') code = problem.code;
  } catch {
    // not a problem+json body
  }
  return new DemoRequestError(
    `演示数据写入失败 (demo seed failed): ${method} ${url} → ${status} ${body.slice(0, 800)}`,
    status,
    code,
  );
}
