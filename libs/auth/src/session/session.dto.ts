import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../passwords/password-rules';

export class SignInDto {
  /** Username, e.g. reception */
  @IsString()
  @MinLength(1, { message: 'username is required' })
  @MaxLength(64)
  username!: string;

  @IsString()
  @MinLength(1, { message: 'password is required' })
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class MeView {
  id!: string;
  username!: string;
  displayName!: string;
  /** The caller's roles (DESIGN §5) */
  roles!: string[];
}

export class SignedInView {
  /** Send as `Authorization: Bearer <accessToken>`; the web UI uses the httpOnly cookie instead */
  accessToken!: string;
  expiresAt!: Date;
  user!: MeView;
}

export class ChangeOwnPasswordDto {
  @IsString()
  @MaxLength(PASSWORD_MAX)
  currentPassword!: string;

  @IsString()
  @MinLength(PASSWORD_MIN, { message: `newPassword must be at least ${PASSWORD_MIN} characters long` })
  @MaxLength(PASSWORD_MAX, { message: `newPassword must be at most ${PASSWORD_MAX} characters long` })
  newPassword!: string;
}
