import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, ForbiddenError, UnauthenticatedError } from '@mustafid/platform';
import type { Request } from 'express';
import { ROLE_NAMES, isRole } from '../roles';
import { SESSION_COOKIE, type AuthUser } from '../session/auth-user';
import { SessionService } from '../session/session.service';
import { AuthService } from '../auth.service';
import { ACCESS_KEY, type Access } from '@mustafid/platform';
import { BASIC_AUTH_KEY } from './basic-auth.decorator';

type AuthRequest = Request & { user?: AuthUser };

type Credential = { token: string; by: 'bearer' | 'cookie' } | { by: 'basic'; username: string; password: string };

function tokenOf(request: AuthRequest): Credential | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    return token ? { token, by: 'bearer' } : undefined;
  }
  if (/^basic /i.test(header ?? '')) return basicCredential(header!.slice(6).trim());
  const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  return cookie ? { token: cookie, by: 'cookie' } : undefined;
}

/** `Basic base64(username:password)` (RFC 7617); the password may contain colons, the username not. */
function basicCredential(encoded: string): Credential {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 1) throw new UnauthenticatedError('The Basic credentials are not base64 of username:password', 'INVALID_CREDENTIALS');
  return { by: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The site a cookie-carried write came from, when it is not this server: browsers send Origin
 * (or at least Referer) with every cross-site write, so a forged form post or fetch from another
 * site is caught here; SameSite=Strict on the cookie is the second line, not the only one. A request
 * with neither header is not a browser's, and a non-browser cannot be tricked into sending it.
 */
function foreignOrigin(request: AuthRequest, publicUrl: string): string | undefined {
  const source = request.headers.origin ?? request.headers.referer;
  if (!source) return undefined;
  let host: string;
  try {
    host = new URL(source).host;
  } catch {
    return source.slice(0, 100); // "null" (a sandboxed frame, a file) or nonsense
  }
  const own = [request.host, request.headers.host, new URL(publicUrl).host];
  return own.includes(host) ? undefined : new URL(source).origin;
}

/** The global guard: applies each route's @Public / @SignedIn / @Roles declaration. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) throw new ForbiddenError('This route does not declare who may call it', 'ACCESS_UNDECLARED');
    if (access.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const credential = tokenOf(request);
    if (!credential) throw new UnauthenticatedError();
    if (credential.by === 'cookie' && !READS.has(request.method)) {
      const foreign = foreignOrigin(request, this.config.publicUrl);
      if (foreign) {
        throw new ForbiddenError(`This change was sent from another site (${foreign}); Mustafid takes changes only from its own pages`, 'CROSS_SITE_REQUEST');
      }
    }
    let user: AuthUser;
    if (credential.by === 'basic') {
      if (!this.reflector.getAllAndOverride<boolean | undefined>(BASIC_AUTH_KEY, [context.getHandler(), context.getClass()])) {
        throw new UnauthenticatedError('This route takes a session (sign in at /api/auth/login and send the token as Bearer); HTTP Basic is taken only by Camunda\'s API under /v2');
      }
      user = await this.auth.authenticateBasic(credential.username, credential.password, request.ip ?? '');
    } else if (credential.by === 'bearer') {
      // A person's session token, or a machine client's access token from POST /oauth/token.
      user = await this.auth.authenticateBearer(credential.token);
    } else {
      user = await this.sessions.authenticate(credential.token); // the cookie carries sessions only
    }
    request.user = user;
    if (access.kind === 'roles' && !user.roles.some((r) => access.roles.includes(r))) {
      const needed = access.roles.map((r) => (isRole(r) ? `${ROLE_NAMES[r].en} (${r})` : r)).join(', ');
      throw new ForbiddenError(`This needs one of these roles: ${needed}`);
    }
    return true;
  }
}

/** The signed-in caller of a @SignedIn or @Roles route. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthRequest>().user;
  if (!user) throw new UnauthenticatedError();
  return user;
});
