/**
 * `npm run db:migrate`: brings the schema of the database named by the environment
 * (DATABASE_URL, else PGLITE_DIR or ./data/pglite) up to date with drizzle/, as `npm start`
 * does before serving. Waits for a database server that is starting (DATABASE_WAIT_SECONDS).
 */
import { openMigratedDatabaseWhenReachable } from '../src/lib/server/db/outage';

const handle = await openMigratedDatabaseWhenReachable();
console.log(`RepairScore: database ${handle.kind} at ${handle.location} is up to date.`);
await handle.close();
