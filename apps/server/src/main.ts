import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mustafid/platform';
import { isCommand, runCommand } from './commands';
import { startServer } from './server';

/**
 * `node dist/apps/server/main.js` serves the API and the web UI;
 * `node dist/apps/server/main.js <command>` runs one of COMMANDS (migrations, seeding) and exits.
 */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  if (command !== undefined) {
    if (!isCommand(command)) throw new Error(`Unknown command "${command}"`);
    for (const line of await runCommand(command, args, config)) console.log(line);
    return;
  }
  const server = await startServer(config);
  console.log(`Mustafid is listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  // One clear line for configuration and data-folder problems; the stack for anything else.
  if (e instanceof ConfigError || (e instanceof Error && 'code' in e && e.code === 'DATA_DIR_LOCKED')) {
    console.error(`mustafid: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
