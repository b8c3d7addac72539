import { Body, Controller, Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, ForbiddenError } from '@mustafid/platform';
import type { Response } from 'express';
import { CurrentUser } from '../access/auth.guard';
import { Public, SignedIn } from '../access/access.decorator';
import { SESSION_COOKIE, type AuthUser } from '../session/auth-user';
import { ChangeOwnPasswordDto, MeView, SignInDto, SignedInView } from './session.dto';
import { SessionService } from './session.service';

/** The httpOnly cookie the web UI's session rides on (staff sign-in and the applicant portal). */
export function setSessionCookie(res: Response, signedIn: { accessToken: string; expiresAt: Date }, config: AppConfig): void {
  res.cookie(SESSION_COOKIE, signedIn.accessToken, { httpOnly: true, sameSite: 'strict', secure: config.auth.cookieSecure, path: '/', expires: signedIn.expiresAt });
}

/** Refuses a machine client a person's own-account action (it has no session and no password). */
function notForClients(user: AuthUser, action: string): void {
  if (user.client) throw new ForbiddenError(`A machine client cannot ${action}`, 'NOT_A_PERSON');
}

@ApiTags('auth')
@Controller()
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sign in; returns a bearer token and sets the httpOnly session cookie the web UI uses. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiUnauthorizedResponse({ description: 'Wrong username or password (code INVALID_CREDENTIALS)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts (code TOO_MANY_LOGIN_ATTEMPTS)' })
  async login(@Body() dto: SignInDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response): Promise<SignedInView> {
    const signedIn = await this.sessions.signIn(dto.username, dto.password, ip);
    setSessionCookie(res, signedIn, this.config);
    return signedIn;
  }

  /** Sign out: ends this session and clears the cookie. */
  @SignedIn()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    notForClients(user, 'sign out: its tokens end when they expire or when an administrator revokes it');
    await this.sessions.signOut(user.sessionId, user.username);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.config.auth.cookieSecure });
  }

  /** Who the caller is, and their roles. */
  @SignedIn()
  @Get('me')
  me(@CurrentUser() user: AuthUser): MeView {
    return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles };
  }

  /** Change one's own password; other sessions of this account are ended. */
  @SignedIn()
  @Post('me/password')
  @HttpCode(204)
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangeOwnPasswordDto): Promise<void> {
    notForClients(user, 'change a password: it has a secret, which an administrator replaces by creating a new client and revoking this one');
    await this.sessions.changeOwnPassword(user, dto.currentPassword, dto.newPassword);
  }
}
