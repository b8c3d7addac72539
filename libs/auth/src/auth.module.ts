import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './access/auth.guard';
import { AuthService } from './auth.service';
import { ClientTokens } from './clients/client-tokens';
import { ClientsController } from './clients/clients.controller';
import { ClientsService } from './clients/clients.service';
import { MachineClient } from './clients/machine-client.entity';
import { TokenController } from './clients/token.controller';
import { LoginAttempts } from './session/login-attempts';
import { ServerSecret } from './session/server-secret.entity';
import { SessionController } from './session/session.controller';
import { Session } from './session/session.entity';
import { SessionService } from './session/session.service';
import { SigningKey } from './session/signing-key';
import { AccountSeeding } from './users/demo-accounts';
import { User } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, Session, ServerSecret, MachineClient]),
    JwtModule.register({ signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
  ],
  controllers: [SessionController, UsersController, ClientsController, TokenController],
  providers: [
    SessionService,
    SigningKey,
    LoginAttempts,
    UsersService,
    AccountSeeding,
    ClientTokens,
    ClientsService,
    AuthService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [SessionService, AuthService, AccountSeeding],
})
export class AuthModule {}
