import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Omittable } from '@mustafid/platform';
import { PageQuery } from '../page-query';
import { PASSWORD_MAX, PASSWORD_MIN } from '../passwords/password-rules';
import { ROLES, type Role } from '../roles';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ROLE_MESSAGE = `each role must be one of: ${ROLES.join(', ')}`;

export class CreateUserDto {
  /** Lowercase letters, digits, dot, dash or underscore; 2–64 characters */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2–64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit',
  })
  username!: string;

  /** The name people see, in any script */
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'displayName is required' })
  @MaxLength(200, { message: 'displayName must be at most 200 characters long' })
  displayName!: string;

  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters long` })
  @MaxLength(PASSWORD_MAX, { message: `password must be at most ${PASSWORD_MAX} characters long` })
  password!: string;

  @IsArray()
  @ArrayUnique({ message: 'roles must not repeat a role' })
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles!: Role[];
}

export class UpdateUserDto {
  @Omittable()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(200, { message: 'displayName must be at most 200 characters long' })
  displayName?: string;

  @Omittable()
  @IsArray()
  @ArrayUnique({ message: 'roles must not repeat a role' })
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles?: Role[];

  /** false blocks sign-in and ends the user's sessions */
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

export class ResetPasswordDto {
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters long` })
  @MaxLength(PASSWORD_MAX, { message: `password must be at most ${PASSWORD_MAX} characters long` })
  password!: string;
}

export class ListUsersQuery extends PageQuery {
  @Omittable()
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: Role;
}

export class UserView {
  id!: string;
  username!: string;
  displayName!: string;
  roles!: string[];
  active!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
}

export class UserPage {
  items!: UserView[];
  total!: number;
  limit!: number;
  offset!: number;
}
