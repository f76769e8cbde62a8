/**
 * How often one signed-in account may ask the server: at most REQUEST_RATE_LIMIT requests a
 * minute (default 1,200; a phone syncing or uploading its photos piece by piece makes a few
 * hundred at most), counted per account across every server instance (request_counts) and per
 * fixed minute. Over it, the answer is 429 with the seconds to wait: the phone's sync and photo
 * queues take that as "try again later" and lose nothing. A stolen or misbehaving session
 * cannot hammer the station's database; signing in again does not reset the count.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';

const DEFAULT_REQUESTS_PER_MINUTE = 1200;
const WINDOW_SECONDS = 60;

/** REQUEST_RATE_LIMIT: a positive whole number of requests per account per minute. */
export function requestRateLimit(value: string | undefined): number {
	if (value === undefined || value.trim() === '') return DEFAULT_REQUESTS_PER_MINUTE;
	const limit = Number(value);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new Error(
			`REQUEST_RATE_LIMIT must be a positive whole number of requests a minute, not "${value}".`
		);
	}
	return limit;
}

export const REQUESTS_PER_MINUTE = requestRateLimit(process.env.REQUEST_RATE_LIMIT);

/**
 * Counts one request of the account; null when it is within the limit, else the seconds until
 * its minute ends. One statement, so parallel requests of one account count exactly (the row
 * lock orders them) and the database's clock is the only one used.
 */
export async function countRequest(
	db: Queryable,
	account: { stationId: string; id: string },
	limit: number = REQUESTS_PER_MINUTE
): Promise<number | null> {
	const window = sql`make_interval(secs => ${WINDOW_SECONDS})`;
	const [counted] = await queryRows<{ requests: number; wait_seconds: number }>(
		db,
		sql`
			INSERT INTO request_counts AS c (station_id, user_id, window_started_at, requests)
			VALUES (${account.stationId}, ${account.id}, statement_timestamp(), 1)
			ON CONFLICT (station_id, user_id) DO UPDATE SET
				requests = CASE WHEN c.window_started_at > statement_timestamp() - ${window}
					THEN c.requests + 1 ELSE 1 END,
				window_started_at = CASE WHEN c.window_started_at > statement_timestamp() - ${window}
					THEN c.window_started_at ELSE statement_timestamp() END
			RETURNING requests,
				greatest(1, ceil(extract(epoch FROM
					window_started_at + ${window} - statement_timestamp())))::int AS wait_seconds`
	);
	return counted.requests > limit ? counted.wait_seconds : null;
}
