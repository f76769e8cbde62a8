/**
 * The station's evidence settings (issue 14), each off until a supervisor turns it on:
 * - record_positions: phones record where arrival and completion happened. It applies from the
 *   next tap of each phone that has learnt it (with the session, auth/sessions.ts); a phone with a
 *   stale setting is never refused, the server just keeps no position while it is off
 *   (jobs/step-times.ts keptPosition).
 * - completion_requires_signature: a technician's completion must carry the customer's signature
 *   (jobs/signatures.ts). The server refuses an unsigned one whatever the phone knew: a station
 *   that asks for sign-off gets no completion without it.
 * Not scoring rules, so not versioned. Audited like every setting.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db';
import { queryRows } from '../../db/rows';
import type { SessionUser } from '../../auth/session-user';
import type { SettingsChangeResult } from '../../../shared/station-settings';
import { editSettings, stationGone, writeAudit } from './editing';

/** Each on/off setting: its column in stations, which is also its audit subject. */
export const STATION_SWITCHES = ['record_positions', 'completion_requires_signature'] as const;
export type StationSwitch = (typeof STATION_SWITCHES)[number];

export const positionRecordingInputSchema = z.object({ recordPositions: z.boolean() });
export const signatureRequirementInputSchema = z.object({
	completionRequiresSignature: z.boolean()
});

export function updatePositionRecording(
	db: Database,
	user: SessionUser,
	input: z.output<typeof positionRecordingInputSchema>
): Promise<SettingsChangeResult> {
	return switchStation(db, user, 'record_positions', input.recordPositions);
}

export function updateSignatureRequirement(
	db: Database,
	user: SessionUser,
	input: z.output<typeof signatureRequirementInputSchema>
): Promise<SettingsChangeResult> {
	return switchStation(
		db,
		user,
		'completion_requires_signature',
		input.completionRequiresSignature
	);
}

function switchStation(
	db: Database,
	user: SessionUser,
	setting: StationSwitch,
	on: boolean
): Promise<SettingsChangeResult> {
	const column = sql.identifier(setting);
	return editSettings(db, user, async (tx) => {
		// Locked as every settings change locks it, so the audit's old value is the one replaced.
		const [station] = await queryRows<{ on: boolean }>(
			tx,
			sql`SELECT ${column} AS "on" FROM stations WHERE id = ${user.stationId}::uuid FOR UPDATE`
		);
		if (!station) throw stationGone();
		if (station.on === on) return { changed: 0 };
		await tx.execute(sql`UPDATE stations SET ${column} = ${on} WHERE id = ${user.stationId}::uuid`);
		await writeAudit(tx, user, [{ subject: setting, oldValue: station.on, newValue: on }]);
		return { changed: 1 };
	});
}
