/**
 * A technician's survey key (docs/survey.md): the HMAC key their phone signs customer survey
 * links with, offline too. Derived from `users.local_data_key` (random per user) with HMAC and
 * a label of its own, as auth/device-key.ts derives the sealing pair: no key is stored twice,
 * the same person always gets the same key, and the key says nothing about the other.
 */
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { users } from '../db/schema';

const SURVEY_KEY_LABEL = 'repairscore-survey-key:v1';

export function surveyKeyFrom(localDataKey: string): string {
	return createHmac('sha256', localDataKey).update(SURVEY_KEY_LABEL).digest('base64url');
}

/** The survey key of one user (null if gone), for that user only: the caller checks who asks. */
export async function surveyKeyOf(
	db: Queryable,
	user: { id: string; stationId: string }
): Promise<string | null> {
	const [row] = await db
		.select({ localDataKey: users.localDataKey })
		.from(users)
		.where(and(eq(users.stationId, user.stationId), eq(users.id, user.id)));
	return row ? surveyKeyFrom(row.localDataKey) : null;
}
