import { Transform } from 'class-transformer';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { normaliseMobile } from '../applications/application.dto';
import { westernDigits } from '../notifications/sms-text';

const MOBILE = 'mobile must be a Saudi mobile number such as 0551234567';

export class CodeRequestDto {
  /** Saudi mobile number, e.g. 0551234567 or +966551234567. */
  @Transform(({ value }) => normaliseMobile(value))
  @IsString({ message: MOBILE })
  @Matches(/^\+9665\d{8}$/, { message: MOBILE })
  mobile!: string;
}

export class CodeSignInDto extends CodeRequestDto {
  /** The six digits of the latest code sent to the number. */
  // Typed on an Arabic keyboard: ٠-٩ and ۰-۹ are the same digits.
  @Transform(({ value }) => (typeof value === 'string' ? westernDigits(value).replace(/\s/g, '') : value))
  @IsString({ message: 'code must be the 6 digits sent to your phone' })
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits sent to your phone' })
  code!: string;
}

/** S4 in the portal: the applicant signs the data they were shown (its hash), by typing their name. */
export class PortalAttestationDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value))
  @IsString() @Length(3, 150, { message: 'typedName must be 3 to 150 characters long' })
  typedName!: string;

  @IsIn([true], { message: 'consent must be true: you confirm the data is correct and that you are responsible for it' })
  consent!: boolean;

  /** The `dataHash` of the data shown (GET …/attestation): signing fails if the data changed since. */
  @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'dataHash must be the dataHash of the data you were shown' })
  dataHash!: string;
}
