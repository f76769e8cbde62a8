/**
 * Database faults that are not the request's fault: the connection is gone (Postgres restarted,
 * failed over, a connection was terminated) or the transaction lost a race (deadlock,
 * serialization failure). The first kind is answered "try again later" (HTTP 503, tRPC
 * SERVICE_UNAVAILABLE, which the phone's sync engine retries); the second is retried here.
 */
import {
	openMigratedDatabase,
	targetFromEnv,
	type Database,
	type DatabaseHandle,
	type DatabaseTarget,
	type Transaction
} from './index';

/** Error codes of postgres.js / Node sockets, and SQLSTATEs, that mean "no usable connection". */
const UNAVAILABLE_CODES = new Set([
	// postgres.js
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	// Node sockets and DNS
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	// Postgres: shut down or restarting, too many connections, a read-only standby after failover
	'57P01',
	'57P02',
	'57P03',
	'53300',
	'25006'
]);

/** Serialization failure and deadlock: the same transaction run again normally succeeds. */
const CONFLICT_CODES = new Set(['40001', '40P01']);

/** The error codes along the cause chain (drizzle wraps the driver's error). */
function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string') codes.push(code);
		current = cause;
	}
	return codes;
}

export function isDatabaseUnavailable(error: unknown): boolean {
	// SQLSTATE class 08: connection exceptions.
	return errorCodes(error).some(
		(code) => UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)
	);
}

export function isTransactionConflict(error: unknown): boolean {
	return errorCodes(error).some((code) => CONFLICT_CODES.has(code));
}

/** Fault of the database, not of the request: worth answering "retry later". */
export function isRetryableDatabaseError(error: unknown): boolean {
	return isDatabaseUnavailable(error) || isTransactionConflict(error);
}

interface RetryOptions {
	/** Attempts in all, the first included. */
	attempts?: number;
	/** Wait before the second attempt; doubled each time, with jitter. */
	firstDelayMs?: number;
}

/**
 * Runs `work` again when it failed on a deadlock or a serialization failure: Postgres rolled
 * the whole transaction back, so repeating it from the start is safe. `work` must therefore be
 * a complete transaction (not a part of one). Other errors, and the last conflict, go to the
 * caller.
 */
async function retryOnConflict<T>(
	work: () => Promise<T>,
	{ attempts = 5, firstDelayMs = 20 }: RetryOptions = {}
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			if (attempt >= attempts || !isTransactionConflict(error)) throw error;
			// Jitter, so two transactions that deadlocked each other do not meet again in step.
			const delay = firstDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random());
			await new Promise((resolve) => setTimeout(resolve, delay));
		}
	}
}

/** `db.transaction(work)`, run again from the start after a deadlock or serialization failure. */
export function retryingTransaction<T>(
	db: Database,
	work: (tx: Transaction) => Promise<T>,
	config?: Parameters<Database['transaction']>[1],
	options?: RetryOptions
): Promise<T> {
	return retryOnConflict(() => db.transaction(work, config), options);
}

/** How long start-up waits for an unreachable database server: DATABASE_WAIT_SECONDS, else 120 s. */
function startupWaitMs(env: NodeJS.ProcessEnv = process.env): number {
	const seconds = Number(env.DATABASE_WAIT_SECONDS);
	return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 120) * 1000;
}

/**
 * `openMigratedDatabase`, waiting while the database server cannot be reached (the machine
 * just booted, Postgres restarts, a failover): tries again with growing pauses, says so on the
 * log, and gives up after `maxWaitMs` with the last error. Other errors fail at once.
 */
export async function openMigratedDatabaseWhenReachable(
	target: DatabaseTarget = targetFromEnv(),
	{
		maxWaitMs = startupWaitMs(),
		log = console.log
	}: { maxWaitMs?: number; log?: (line: string) => void } = {}
): Promise<DatabaseHandle> {
	const deadline = Date.now() + maxWaitMs;
	for (let pause = 500; ; pause = Math.min(pause * 2, 5000)) {
		try {
			return await openMigratedDatabase(target);
		} catch (error) {
			const left = deadline - Date.now();
			if (!isDatabaseUnavailable(error) || left <= 0) throw error;
			const reason = error instanceof Error ? error.message : String(error);
			log(
				`RepairScore: the database cannot be reached yet (${reason}); trying again, ` +
					`giving up in ${Math.ceil(left / 1000)} s.`
			);
			await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
		}
	}
}
