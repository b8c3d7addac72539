import { SetMetadata } from '@nestjs/common';

export const BASIC_AUTH_KEY = 'mustafid:basic-auth';

/**
 * The routes of a controller also take HTTP Basic credentials (a Mustafid account's username and
 * password, checked like a sign-in, with the same lockout), as Camunda's clients send them
 * (`CAMUNDA_AUTH_STRATEGY=BASIC`). Only Camunda's /v2 API takes them: elsewhere a browser that
 * remembered Basic credentials would send them with every cross-site request.
 */
export const AcceptsBasicAuth = () => SetMetadata(BASIC_AUTH_KEY, true);
