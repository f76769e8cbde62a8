/**
 * The pull cursor's parsing (cursor.ts); what a pull sends for it is in pull.test.ts. Postgres
 * only writes well-formed snapshots, so anything else must read as "not from this server".
 */
import { describe, expect, it } from 'vitest';
import { parseCursor } from './cursor';

describe('parseCursor', () => {
	it('reads a snapshot as PostgreSQL writes it', () => {
		expect(parseCursor('10:15:')).toEqual({ xmin: 10n, xmax: 15n, inProgress: [] });
		expect(parseCursor('10:15:10,12')).toEqual({ xmin: 10n, xmax: 15n, inProgress: [10n, 12n] });
	});

	it('reads the cursor of the earlier form (an xmin alone) as everything below it sent', () => {
		expect(parseCursor('742')).toEqual({ xmin: 742n, xmax: 742n, inProgress: [] });
	});

	it('refuses bounds out of order and in-progress ids outside them or unsorted', () => {
		for (const cursor of ['15:10:', '10:15:9', '10:15:15', '10:15:12,11', '10:15:12,12']) {
			expect(parseCursor(cursor), cursor).toBeNull();
		}
	});
});
