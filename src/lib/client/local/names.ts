/**
 * Names of what the app keeps in the browser, in a module of their own: the sign-out code that
 * every page loads (sign-out.ts) needs them without loading Dexie.
 */

/** One IndexedDB database per signed-in user: this prefix and the user's id (db.ts). */
export const DATABASE_PREFIX = 'repairscore-user-';

/** The IndexedDB database of changes sealed at sign-out until their owner returns (sealing/seal.ts). */
export const PARKED_DATABASE = 'repairscore-parked';

/**
 * The page's own record of a sign-out, sent with the next request: the server then ends the
 * session whose HttpOnly cookie the page cannot delete (server: auth/sessions.ts).
 */
export const SIGNED_OUT_COOKIE = 'rs_signed_out';
