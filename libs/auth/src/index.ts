export * from './access/access.decorator';
export * from './access/auth.guard';
export * from './auth.module';
export * from './roles';
export * from './session/auth-user';
export * from './users/demo-accounts';
export * from './users/user.entity';
