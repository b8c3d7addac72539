import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString, Matches } from 'class-validator';
import { Omittable } from '@mustafid/platform';
import { PageQuery } from '../page-query';
import { ROLES, type Role } from '../roles';

/**
 * The roles a machine client may hold: all but `applicant`, which belongs to a person with a
 * portal account (the portal's routes look that account up).
 */
export const CLIENT_ROLES = ROLES.filter((r) => r !== 'applicant');
const ROLE_MESSAGE = `each role must be one of: ${CLIENT_ROLES.join(', ')}`;

/** At most this many clients are active (not revoked) at once. */
export const MAX_ACTIVE_CLIENTS = 100;

export class CreateClientDto {
  /** Lowercase letters, digits, dot, dash or underscore; 2–48 characters, e.g. billing-worker */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,47}$/, {
    message: 'name must be 2–48 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  name!: string;

  /** What the client may do, e.g. ["worker"] for a job worker that only activates and completes jobs */
  @IsArray()
  @ArrayMinSize(1, { message: 'roles must name at least one role: a client without roles could call nothing' })
  @ArrayMaxSize(CLIENT_ROLES.length)
  @ArrayUnique({ message: 'roles must not repeat a role' })
  @IsIn(CLIENT_ROLES, { each: true, message: ROLE_MESSAGE })
  roles!: Role[];
}

export class ListClientsQuery extends PageQuery {
  /** Also list revoked clients */
  @Omittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeRevoked must be true or false' })
  includeRevoked: boolean = false;
}

export class ClientView {
  id!: string;
  name!: string;
  /** What the client sends as client_id to POST /oauth/token */
  clientId!: string;
  roles!: string[];
  createdAt!: Date;
  createdBy!: string;
  /** When it last got an access token */
  lastTokenAt!: Date | null;
  /** Set once revoked: its tokens no longer work */
  revokedAt!: Date | null;
  revokedBy!: string | null;
}

export class CreatedClientView extends ClientView {
  /** Shown this once: Mustafid keeps only a hash of it. */
  clientSecret!: string;
}

export class ClientPage {
  items!: ClientView[];
  total!: number;
  limit!: number;
  offset!: number;
}
