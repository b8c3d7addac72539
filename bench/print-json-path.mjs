// Prints the path of the JSON file the engine benchmark just wrote, as the very last line of
// `npm run bench:engine` (after vitest's own summary), and forgets it, so a failed run prints no
// stale path.
import { existsSync, readFileSync, rmSync } from 'node:fs';

const pointer = 'bench/results/.last-engine-json';
if (existsSync(pointer)) {
  const path = readFileSync(pointer, 'utf8').trim();
  rmSync(pointer);
  console.log(path);
} else {
  console.log('no figures written: the engine benchmark did not finish');
  process.exitCode = 1;
}
