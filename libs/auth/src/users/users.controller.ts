import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/access.decorator';
import { CurrentUser } from '../access/auth.guard';
import type { AuthUser } from '../session/auth-user';
import { CreateUserDto, ListUsersQuery, ResetPasswordDto, UpdateUserDto, UserPage, UserView } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Create an account with roles. */
  @Post()
  @ApiConflictResponse({ description: 'The username is taken (code USERNAME_TAKEN)' })
  create(@Body() dto: CreateUserDto, @CurrentUser() by: AuthUser): Promise<UserView> {
    return this.users.create(dto, by.username);
  }

  /** List accounts, optionally those holding one role. */
  @Get()
  list(@Query() query: ListUsersQuery): Promise<UserPage> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<UserView> {
    return this.users.get(id);
  }

  /** Change display name, roles, or deactivate (which ends the account's sessions). */
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Would leave no active administrator (code LAST_ADMIN)' })
  update(@Param('id') id: string, @Body() dto: UpdateUserDto, @CurrentUser() by: AuthUser): Promise<UserView> {
    return this.users.update(id, dto, by.username);
  }

  /** Set a new password; the account's sessions end. */
  @Post(':id/password')
  @HttpCode(204)
  @ApiNotFoundResponse()
  resetPassword(@Param('id') id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(id, dto.password);
  }
}
