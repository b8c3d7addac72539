import { DynamicModule, Global, Module } from '@nestjs/common';
import { AdjustableClock, CLOCK, systemClock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from './app-config';

/**
 * Makes the validated AppConfig injectable everywhere as APP_CONFIG, and the process's one
 * clock as CLOCK: the system's, or with ENABLE_TEST_CLOCK an adjustable one that the engine,
 * its test-clock routes and the token checks all share.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: config.engine.testClock ? new AdjustableClock() : systemClock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
