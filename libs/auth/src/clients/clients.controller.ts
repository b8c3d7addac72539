import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorator';
import { CurrentUser } from '../access/auth.guard';
import type { AuthUser } from '../session/auth-user';
import { ClientPage, ClientView, CreateClientDto, CreatedClientView, ListClientsQuery } from './clients.dto';
import { ClientsService } from './clients.service';

/**
 * Machine clients: programs (Camunda's job workers, integrations) that get access tokens at
 * POST /oauth/token with a client id and secret, and act with the roles given here.
 */
@ApiTags('clients')
@Roles('admin')
@Controller('clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  /** Create a client with roles; the answer holds its secret, shown this once. */
  @Post()
  @ApiConflictResponse({ description: 'An active client has that name (code CLIENT_NAME_TAKEN), or there are already 100 active clients (code TOO_MANY_CLIENTS)' })
  create(@Body() dto: CreateClientDto, @CurrentUser() by: AuthUser): Promise<CreatedClientView> {
    return this.clients.create(dto, by.username);
  }

  /** List the active clients (with includeRevoked=true, the revoked ones too). */
  @Get()
  list(@Query() query: ListClientsQuery): Promise<ClientPage> {
    return this.clients.list(query);
  }

  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<ClientView> {
    return this.clients.get(id);
  }

  /** Revoke a client: its tokens stop working at once and it gets no new ones. The record stays (listed with includeRevoked=true). */
  @Delete(':id')
  @HttpCode(204)
  @ApiNotFoundResponse()
  revoke(@Param('id') id: string, @CurrentUser() by: AuthUser): Promise<void> {
    return this.clients.revoke(id, by.username);
  }
}
