import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@mustafid/platform';
import type { Request } from 'express';
import { ROLE_NAMES, isRole } from '../roles';
import { SESSION_COOKIE, type AuthUser } from '../session/auth-user';
import { SessionService } from '../session/session.service';
import { ACCESS_KEY, type Access } from '@mustafid/platform';

type AuthRequest = Request & { user?: AuthUser };

function tokenOf(request: AuthRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  const cookie = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  return cookie || undefined;
}

/** The global guard: applies each route's @Public / @SignedIn / @Roles declaration. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) throw new ForbiddenError('This route does not declare who may call it', 'ACCESS_UNDECLARED');
    if (access.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const token = tokenOf(request);
    if (!token) throw new UnauthenticatedError();
    const user = await this.sessions.authenticate(token);
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
