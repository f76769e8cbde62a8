/**
 * Whether the station's phones record where arrival and completion happened (issue 14): off
 * until a supervisor turns it on. Not a scoring rule, so not versioned: it applies from the
 * next tap of each phone that has learnt it (with the session, auth/sessions.ts); a phone with
 * a stale setting is never refused, the server just keeps no position while it is off
 * (jobs/step-times.ts keptPosition). Audited like every setting.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db';
import { queryRows } from '../../db/rows';
import { stations } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import type { SettingsChangeResult } from '../../../shared/station-settings';
import { editSettings, stationGone, writeAudit } from './editing';

/** The audit subject of the setting; its old and new values are booleans. */
export const RECORD_POSITIONS_SUBJECT = 'record_positions';

export const positionRecordingInputSchema = z.object({ recordPositions: z.boolean() });

export async function updatePositionRecording(
	db: Database,
	user: SessionUser,
	input: z.output<typeof positionRecordingInputSchema>
): Promise<SettingsChangeResult> {
	return editSettings(db, user, async (tx) => {
		// Locked as every settings change locks it, so the audit's old value is the one replaced.
		const [station] = await queryRows<{ recordPositions: boolean }>(
			tx,
			sql`SELECT record_positions AS "recordPositions" FROM stations
				WHERE id = ${user.stationId}::uuid FOR UPDATE`
		);
		if (!station) throw stationGone();
		if (station.recordPositions === input.recordPositions) return { changed: 0 };
		await tx
			.update(stations)
			.set({ recordPositions: input.recordPositions })
			.where(eq(stations.id, user.stationId));
		await writeAudit(tx, user, [
			{
				subject: RECORD_POSITIONS_SUBJECT,
				oldValue: station.recordPositions,
				newValue: input.recordPositions
			}
		]);
		return { changed: 1 };
	});
}
