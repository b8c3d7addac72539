import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const ACCESS_KEY = 'mustafid:access';

/** Who may call a route. Every route declares one; the server refuses to start otherwise. */
export type Access = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: readonly string[] };

/** Anyone, signed in or not. */
export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);

const signedInDocs = [ApiBearerAuth(), ApiCookieAuth(), ApiUnauthorizedResponse({ description: 'Not signed in' })];

/** Any signed-in account, whatever its roles. */
export const SignedIn = () => applyDecorators(SetMetadata(ACCESS_KEY, { kind: 'signed-in' } satisfies Access), ...signedInDocs);

/** Signed-in accounts holding at least one of these roles (libs/auth's `Roles` types them). */
export const RequireRoles = (roles: readonly string[]) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies Access),
    ...signedInDocs,
    ApiForbiddenResponse({ description: `Needs one of the roles: ${roles.join(', ')}` }),
  );
