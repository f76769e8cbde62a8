/**
 * For load balancers and monitors: 200 when this instance can query its database, else 503.
 * No session, no personal data, accepted under any Host name (hooks: serverPolicy).
 */
import { sql } from 'drizzle-orm';
import { serverDatabase } from '$lib/server/db/server-db';
import { RETRY_AFTER_SECONDS } from '$lib/server/http/handles';
import type { RequestHandler } from './$types';

/** A database that takes longer than this to answer `SELECT 1` counts as down. */
const CHECK_TIMEOUT_MS = 3000;

async function databaseAnswers(): Promise<boolean> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
	});
	const check = serverDatabase()
		.then(({ db }) => db.execute(sql`SELECT 1`))
		.then(
			() => true,
			() => false
		);
	try {
		return await Promise.race([check, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

export const GET: RequestHandler = async () => {
	const up = await databaseAnswers();
	return Response.json(
		{ status: up ? 'ok' : 'unavailable' },
		{
			status: up ? 200 : 503,
			headers: up ? {} : { 'retry-after': String(RETRY_AFTER_SECONDS) }
		}
	);
};
