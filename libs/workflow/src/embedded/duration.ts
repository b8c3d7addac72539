// Durations serve the whole server (the test clock, mail, sign-in, configuration): they live in libs/platform.
export { durationMs } from '@mustafid/platform';
