import { DEMO_PASSWORD } from './app';

/** A client of a child server's HTTP API (a built server run by runBuilt), signed in as admin. */
export class ChildApi {
  constructor(
    readonly url: string,
    private readonly token: string,
    /** Which server, in messages and variables when a test runs several. */
    readonly name = url,
  ) {}

  static async signIn(url: string, name = url): Promise<ChildApi> {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in on ${name} failed: ${res.status}`);
    return new ChildApi(url, ((await res.json()) as { accessToken: string }).accessToken, name);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** Runs fn over 0..total-1, at most `width` at once. */
export async function bounded(total: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, total) }, async () => {
      for (let i = next++; i < total; i = next++) await fn(i);
    }),
  );
}
