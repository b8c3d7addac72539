import { Body, Controller, Header, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OAUTH_TOKEN_PATH } from '@mustafid/platform';
import { Public } from '../access/access.decorator';
import { ClientTokens } from './client-tokens';
import { TokenErrorView, TokenRequestDto, TokenView } from './token.dto';
import { readTokenRequest } from './token-request';

/**
 * The OAuth 2.0 token endpoint for machine clients (client credentials, RFC 6749 §4.4), at
 * /oauth/token beside /api, where Camunda's clients ask when configured with
 * `CAMUNDA_AUTH_STRATEGY=OAUTH` and `CAMUNDA_OAUTH_URL=<server>/oauth/token`.
 */
@ApiTags('oauth')
@Controller(OAUTH_TOKEN_PATH)
export class TokenController {
  constructor(private readonly tokens: ClientTokens) {}

  /** An access token for a machine client's id and secret (form-encoded or JSON; or the credentials as HTTP Basic). */
  @Public()
  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenView })
  @ApiBadRequestResponse({ type: TokenErrorView, description: 'invalid_request or unsupported_grant_type' })
  @ApiUnauthorizedResponse({ type: TokenErrorView, description: 'invalid_client: unknown client id, wrong secret, or revoked client' })
  @ApiTooManyRequestsResponse({ type: TokenErrorView, description: 'temporarily_unavailable: too many failures for this client id from this address (Retry-After)' })
  token(@Body() body: Record<string, unknown>, @Headers('authorization') authorization: string | undefined, @Ip() address: string): Promise<TokenView> {
    return this.tokens.issue(readTokenRequest(body, authorization), address);
  }
}
