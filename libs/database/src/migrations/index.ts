import { CreateAccounts1795569142468 } from './1795569142468-CreateAccounts';

/** Every migration, oldest first. `npm run migration:generate` appends here. */
export const MIGRATIONS = [CreateAccounts1795569142468];
