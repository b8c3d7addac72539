/** The clock lives in the platform library (ConfigModule provides it); the engine's files import it from here. */
export { AdjustableClock, CLOCK, type Clock, systemClock } from '@mustafid/platform';
