import { refusal } from '../refusal';

interface PgErrorFields {
	code?: string;
	constraint?: string;
	constraint_name?: string;
	detail?: string;
}

/** What a person should read when a database constraint refuses a write. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
	jobs_station_job_no: 'This job number already exists in the station.',
	jobs_completed_has_time_and_outcome: 'A completed job needs a completion time and an outcome.',
	jobs_outcome_only_when_completed: 'Only a completed job can have an outcome.',
	jobs_not_own_previous: 'A job cannot be the previous job of itself.',
	jobs_job_no_not_blank: 'The job number must not be empty.',
	jobs_technician_fk: 'The technician does not belong to this station.',
	jobs_fault_category_fk: 'The fault category does not exist in this station.',
	jobs_previous_job_fk: 'The previous job does not exist in this station.',
	job_parts_qty_positive: 'The quantity must be greater than 0.',
	job_parts_unit_cost_nonnegative: 'The unit cost must not be negative.',
	job_parts_part_fk: 'The part does not exist in this station.',
	job_parts_job_fk: 'The job does not exist in this station.',
	follow_ups_satisfaction_range: 'Satisfaction must be between 1 and 5.',
	follow_ups_job_fk: 'The job does not exist in this station.',
	parts_station_sku: 'This SKU already exists in the station.',
	parts_unit_cost_nonnegative: 'The unit cost must not be negative.',
	fault_categories_station_code: 'This fault category code already exists in the station.',
	fault_categories_standard_minutes_positive: 'Standard minutes must be greater than 0.',
	users_station_login: 'This login already exists in the station.',
	stations_code_key: 'This station code is already taken.'
};

/**
 * The stable reason (shared/sync.ts) of the constraints a device's change can meet; any other
 * constraint is a plain `database_refused`.
 */
const CONSTRAINT_REASONS: Record<string, string> = {
	jobs_station_job_no: 'job_no_taken',
	jobs_fault_category_fk: 'fault_category_unknown',
	jobs_previous_job_fk: 'previous_job_unknown',
	job_parts_part_fk: 'part_unknown',
	job_parts_job_fk: 'job_not_found',
	follow_ups_job_fk: 'job_not_found'
};

/**
 * Errors worth trying again: the connection (class 08, or the driver's own network errors),
 * the server shutting down or not ready (57P01-57P03), a cancelled statement (57014),
 * serialization failures and deadlocks (40001, 40P01), a lock not available (55P03), or a lack of
 * resources (class 53). Anything else happens again with the same input.
 */
export function isTransientDbError(error: unknown): boolean {
	const pg = postgresError(error);
	if (pg?.code) {
		return /^(08|53|40001$|40P01$|55P03$|57P0[1-3]$|57014$)/.test(pg.code);
	}
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		const { code, message, cause } = current as {
			code?: unknown;
			message?: unknown;
			cause?: unknown;
		};
		if (typeof code === 'string' && TRANSIENT_DRIVER_CODES.has(code)) return true;
		if (typeof message === 'string' && /PGlite is closed/i.test(message)) return true;
		current = cause;
	}
	return false;
}

/** postgres.js's connection errors and Node's network errors. */
const TRANSIENT_DRIVER_CODES = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN'
]);

/** The Postgres error under drizzle's wrapper, whichever driver raised it. */
export function postgresError(error: unknown): PgErrorFields | null {
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const fields = current as PgErrorFields & { cause?: unknown };
		if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
		current = fields.cause;
	}
	return null;
}

/**
 * Turns a constraint violation into a tRPC error that names what is wrong; anything else is
 * rethrown untouched (a server fault stays a server fault).
 */
export function translateDbError(error: unknown): never {
	const pg = postgresError(error);
	if (!pg) throw error;
	const constraint = pg.constraint ?? pg.constraint_name ?? '';
	const message = CONSTRAINT_MESSAGES[constraint];
	const reason = CONSTRAINT_REASONS[constraint] ?? 'database_refused';
	switch (pg.code) {
		case '23505':
			throw refusal('CONFLICT', message ?? `Already exists (${constraint}).`, reason, {}, error);
		case '23503':
		case '23514':
		case '23502':
		case '22P02':
		case '22003':
			throw refusal(
				'BAD_REQUEST',
				message ?? `Rejected by the database (${constraint || pg.code}).`,
				reason,
				{},
				error
			);
		default:
			throw error;
	}
}
