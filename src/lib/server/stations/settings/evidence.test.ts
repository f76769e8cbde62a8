/**
 * The station's evidence settings, "record arrival and completion positions" and "completion
 * requires a signature": off by default, turned on and off by supervisors only, audited and read
 * back in the history, and carried by the session so that phones learn them with who is signed
 * in. Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../../auth/sessions';
import { testEngines } from '../../testing/databases';
import { settingsTestBed } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: evidence (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows, storedStation } = bed;

		it('is off until a supervisor turns it on; each change is audited and read back', async () => {
			const { station, supervisor } = await freshStation();
			const caller = as(supervisor);
			expect((await caller.get()).recordPositions).toBe(false);

			expect(await caller.updatePositions({ recordPositions: true })).toEqual({ changed: 1 });
			expect(await caller.updatePositions({ recordPositions: true })).toEqual({ changed: 0 });
			expect((await caller.get()).recordPositions).toBe(true);
			expect(await storedStation(station.id)).toMatchObject({ recordPositions: true });
			expect(await caller.updatePositions({ recordPositions: false })).toEqual({ changed: 1 });

			const rows = await auditRows(station.id);
			expect(rows.map((row) => [row.subject, row.oldValue, row.newValue])).toEqual([
				['record_positions', false, true],
				['record_positions', true, false]
			]);
			const history = await caller.history({ page: 1, pageSize: 20 });
			expect(history.entries.map((entry) => entry.change)).toEqual([
				{ kind: 'record_positions', old: true, new: false },
				{ kind: 'record_positions', old: false, new: true }
			]);
		});

		it('refuses anyone but a supervisor, and a value that is not on or off', async () => {
			const { supervisor, technician } = await freshStation();
			await expect(as(technician).updatePositions({ recordPositions: true })).rejects.toMatchObject(
				{ code: 'FORBIDDEN' }
			);
			await expect(
				as(supervisor).updatePositions({ recordPositions: 'yes' as unknown as boolean })
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		});

		it('reaches the phone with the session', async () => {
			const { supervisor, technician } = await freshStation();
			const { token } = await createSession(bed.db, technician);
			expect((await validateSessionToken(bed.db, token))?.user.recordPositions).toBe(false);
			await as(supervisor).updatePositions({ recordPositions: true });
			expect((await validateSessionToken(bed.db, token))?.user.recordPositions).toBe(true);
		});

		it('requires signatures only once a supervisor says so, audited and carried by the session', async () => {
			const { station, supervisor, technician } = await freshStation();
			const caller = as(supervisor);
			expect((await caller.get()).completionRequiresSignature).toBe(false);
			const { token } = await createSession(bed.db, technician);
			expect((await validateSessionToken(bed.db, token))?.user.completionRequiresSignature).toBe(
				false
			);

			const on = { completionRequiresSignature: true };
			expect(await caller.updateSignatureRequirement(on)).toEqual({ changed: 1 });
			expect(await caller.updateSignatureRequirement(on)).toEqual({ changed: 0 });
			expect((await caller.get()).completionRequiresSignature).toBe(true);
			expect(await storedStation(station.id)).toMatchObject({ completionRequiresSignature: true });
			expect((await validateSessionToken(bed.db, token))?.user.completionRequiresSignature).toBe(
				true
			);
			// The other setting is its own.
			expect((await caller.get()).recordPositions).toBe(false);

			const rows = await auditRows(station.id);
			expect(rows.map((row) => [row.subject, row.oldValue, row.newValue])).toEqual([
				['completion_requires_signature', false, true]
			]);
			const history = await caller.history({ page: 1, pageSize: 20 });
			expect(history.entries.map((entry) => entry.change)).toEqual([
				{ kind: 'completion_requires_signature', old: false, new: true }
			]);

			await expect(as(technician).updateSignatureRequirement(on)).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(
				caller.updateSignatureRequirement({
					completionRequiresSignature: 1 as unknown as boolean
				})
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		});
	});
}
