import { expect } from 'vitest';
import type { TestServer } from './app';

/** An applicant in the portal: signs in with a mobile number and the code the demo outbox shows. */
export class PortalApplicant {
  token = '';

  /** `from`: the client's address as a trusted proxy reports it (X-Forwarded-For; TRUST_PROXY=loopback). */
  constructor(
    readonly server: TestServer,
    readonly mobile: string,
    readonly from?: string,
  ) {}

  /** The code of the latest sign-in notice to the number (the demo setting's outbox API). */
  async latestCode(): Promise<string> {
    const res = await this.server.http().get('/api/portal/demo/sign-in-codes').query({ mobile: this.mobile });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const code = /\b(\d{6})\b/.exec(res.body[0].body.en)?.[1];
    expect(code, res.body[0].body.en).toBeDefined();
    return code!;
  }

  askCode() {
    return this.fromAddress('/api/portal/sign-in/code').send({ mobile: this.mobile });
  }

  tryCode(code: string) {
    return this.fromAddress('/api/portal/sign-in').send({ mobile: this.mobile, code });
  }

  /** A POST before sign-in, from the applicant's address when one is given. */
  private fromAddress(path: string) {
    const req = this.server.http().post(path);
    return this.from ? req.set('X-Forwarded-For', this.from) : req;
  }

  async signIn(): Promise<this> {
    const asked = await this.askCode();
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const res = await this.tryCode(await this.latestCode());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    this.token = res.body.accessToken;
    return this;
  }

  get(path: string) {
    return this.server.http().get(path).auth(this.token, { type: 'bearer' });
  }

  post(path: string) {
    return this.server.http().post(path).auth(this.token, { type: 'bearer' });
  }
}
