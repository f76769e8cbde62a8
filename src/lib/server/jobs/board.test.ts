/**
 * The open-jobs board on a hand-built station: who may read it, which jobs it holds and in which
 * order, their timing against the station's response-time thresholds (and a change of them),
 * the filters, the counts per technician, and the station home's overdue count.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import {
	createCategory,
	createJob,
	createStation,
	createUser,
	setStationSettings
} from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { boardRouter } from '../trpc/routers/board';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { countOverdueOpenJobs, openJobsBoard } from './board';

const createCaller = createCallerFactory(boardRouter);
const NOW = new Date('2026-03-10T06:00:00Z');
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

for (const engine of testEngines()) {
	describe(`open-jobs board (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationId: string;
		let desk: SessionUser;
		let boss: SessionUser;
		let admin: SessionUser;
		let alice: SessionUser;
		let bob: SessionUser;
		let carol: SessionUser;
		let southDesk: SessionUser;
		let airconId: string;

		const numbers = (board: { jobs: { jobNo: string }[] }) => board.jobs.map((job) => job.jobNo);
		const read = (user: SessionUser, filters = {}) => openJobsBoard(db, user, filters, NOW);

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			stationId = north.id;
			desk = await createUser(db, north, 'desk', 'dispatcher');
			boss = await createUser(db, north, 'boss', 'supervisor');
			admin = await createUser(db, north, 'admin', 'admin');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			// Active, with nothing to do: still listed, a dispatcher looks for who is free.
			carol = await createUser(db, north, 'carol');
			const gone = await createUser(db, north, 'gone');
			const aircon = await createCategory(db, north.id, 'AC', 90);
			airconId = aircon.id;
			await createCategory(db, north.id, 'WASH', 60);

			// Default thresholds: late past 12 h, overdue past 24 h.
			await createJob(db, alice, { jobNo: 'A-FRESH', reportedAt: hoursAgo(1) });
			await createJob(db, alice, {
				jobNo: 'A-AT-EXCELLENT',
				reportedAt: hoursAgo(12),
				status: 'in_progress',
				arrivedAt: hoursAgo(11)
			});
			await createJob(db, alice, {
				jobNo: 'A-LATE',
				reportedAt: hoursAgo(13),
				faultCategoryId: aircon.id
			});
			await createJob(db, bob, {
				jobNo: 'B-AT-PASS',
				reportedAt: hoursAgo(24),
				status: 'in_progress',
				arrivedAt: hoursAgo(2)
			});
			await createJob(db, bob, {
				jobNo: 'B-OVERDUE',
				reportedAt: hoursAgo(30),
				urgency: 'urgent',
				origin: 'desk',
				reportedBy: desk.id,
				faultCategoryId: aircon.id
			});
			await createJob(db, alice, {
				jobNo: 'U-NEW',
				technicianId: null,
				reportedAt: hoursAgo(0.5),
				origin: 'desk',
				reportedBy: desk.id
			});
			await createJob(db, alice, {
				jobNo: 'U-OLD',
				technicianId: null,
				reportedAt: hoursAgo(26),
				origin: 'desk',
				reportedBy: desk.id,
				customerName: '王芳',
				customerAddress: '上海市长宁区',
				productModel: 'KFR-35GW',
				faultDescription: '不制冷'
			});
			// A technician who left with a job still open keeps a line until it is reassigned.
			await createJob(db, gone, { jobNo: 'G-LEFT', reportedAt: hoursAgo(5) });
			await db.update(users).set({ active: false }).where(eq(users.id, gone.id));
			// Done or dropped: not on the board.
			await createJob(db, alice, {
				jobNo: 'DONE',
				reportedAt: hoursAgo(40),
				status: 'completed',
				outcome: 'fixed',
				completedAt: hoursAgo(3)
			});
			await createJob(db, alice, {
				jobNo: 'DROPPED',
				reportedAt: hoursAgo(40),
				status: 'cancelled'
			});
			await createJob(db, bob, {
				jobNo: 'U-DROPPED',
				technicianId: null,
				reportedAt: hoursAgo(50),
				status: 'cancelled'
			});

			const south = await createStation(db, 'SOUTH');
			southDesk = await createUser(db, south, 'desk', 'dispatcher');
			await createJob(db, await createUser(db, south, 'dave'), {
				jobNo: 'S-1',
				reportedAt: hoursAgo(40)
			});
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('lists the not-completed jobs, unassigned first, then the longest waiting', async () => {
			const board = await read(desk);
			expect(numbers(board)).toEqual([
				'U-OLD',
				'U-NEW',
				'B-OVERDUE',
				'B-AT-PASS',
				'A-LATE',
				'A-AT-EXCELLENT',
				'G-LEFT',
				'A-FRESH'
			]);
			expect(board.now).toBe(NOW.toISOString());
			expect(board.thresholds).toEqual({ pass: 24, excellent: 12 });
			expect(board.jobs[0]).toEqual({
				id: expect.any(String),
				jobNo: 'U-OLD',
				status: 'open',
				technicianId: null,
				technicianName: null,
				categoryName: null,
				urgency: 'normal',
				origin: 'desk',
				customerName: '王芳',
				customerAddress: '上海市长宁区',
				productModel: 'KFR-35GW',
				faultDescription: '不制冷',
				reportedAt: hoursAgo(26).toISOString(),
				assignedAt: null,
				waitingMinutes: 26 * 60,
				timing: 'overdue'
			});
			const overdue = board.jobs.find((job) => job.jobNo === 'B-OVERDUE');
			expect(overdue).toMatchObject({
				technicianId: bob.id,
				technicianName: 'bob 名字',
				categoryName: 'AC',
				urgency: 'urgent',
				status: 'open'
			});
		});

		it('is late past the excellent threshold and overdue past the pass threshold', async () => {
			const timings = Object.fromEntries((await read(boss)).jobs.map((j) => [j.jobNo, j.timing]));
			expect(timings).toEqual({
				'U-OLD': 'overdue',
				'U-NEW': 'on_time',
				'B-OVERDUE': 'overdue',
				// Exactly at a threshold is not past it.
				'B-AT-PASS': 'late',
				'A-LATE': 'late',
				'A-AT-EXCELLENT': 'on_time',
				'G-LEFT': 'on_time',
				'A-FRESH': 'on_time'
			});
			expect(await countOverdueOpenJobs(db, boss, NOW)).toBe(2);
		});

		it("measures against the station's current thresholds, and marks nothing without them", async () => {
			const setThresholds = (avg_response_hours: { pass: number; excellent: number } | null) =>
				setStationSettings(db, stationId, {
					kpiSettings: {
						...DEFAULT_KPI_SETTINGS,
						thresholds: { ...DEFAULT_KPI_SETTINGS.thresholds, avg_response_hours }
					}
				});
			try {
				await setThresholds({ pass: 4, excellent: 1 });
				const strict = await read(desk);
				expect(strict.thresholds).toEqual({ pass: 4, excellent: 1 });
				expect(strict.jobs.filter((j) => j.timing === 'overdue').map((j) => j.jobNo)).toEqual([
					'U-OLD',
					'B-OVERDUE',
					'B-AT-PASS',
					'A-LATE',
					'A-AT-EXCELLENT',
					'G-LEFT'
				]);
				expect(strict.jobs.find((j) => j.jobNo === 'A-FRESH')?.timing).toBe('on_time');
				expect(await countOverdueOpenJobs(db, desk, NOW)).toBe(6);

				await setThresholds(null);
				const unscored = await read(desk);
				expect(unscored.thresholds).toBeNull();
				expect(new Set(unscored.jobs.map((j) => j.timing))).toEqual(new Set([null]));
				expect(await countOverdueOpenJobs(db, desk, NOW)).toBe(0);
				expect(await read(desk, { age: 'late' })).toMatchObject({ jobs: [] });
			} finally {
				await setThresholds(DEFAULT_KPI_SETTINGS.thresholds.avg_response_hours!);
			}
		});

		it('filters by technician, unassigned, status, category and age', async () => {
			expect(numbers(await read(desk, { technician: alice.id }))).toEqual([
				'A-LATE',
				'A-AT-EXCELLENT',
				'A-FRESH'
			]);
			expect(numbers(await read(desk, { technician: 'unassigned' }))).toEqual(['U-OLD', 'U-NEW']);
			expect(numbers(await read(desk, { status: 'in_progress' }))).toEqual([
				'B-AT-PASS',
				'A-AT-EXCELLENT'
			]);
			expect(numbers(await read(desk, { categoryId: airconId }))).toEqual(['B-OVERDUE', 'A-LATE']);
			expect(numbers(await read(desk, { age: 'overdue' }))).toEqual(['U-OLD', 'B-OVERDUE']);
			expect(numbers(await read(desk, { age: 'late' }))).toEqual([
				'U-OLD',
				'B-OVERDUE',
				'B-AT-PASS',
				'A-LATE'
			]);
			expect(numbers(await read(desk, { olderThanHours: 12 }))).toEqual([
				'U-OLD',
				'B-OVERDUE',
				'B-AT-PASS',
				'A-LATE'
			]);
			const combined = await read(desk, { technician: bob.id, status: 'open', age: 'overdue' });
			expect(numbers(combined)).toEqual(['B-OVERDUE']);
			expect(combined.filters).toEqual({ technician: bob.id, status: 'open', age: 'overdue' });
		});

		it('counts per technician over the whole board, whatever the filter', async () => {
			const expected = [
				{ technicianId: null, technicianName: null, open: 2, inProgress: 0, late: 0, overdue: 1 },
				{
					technicianId: alice.id,
					technicianName: 'alice 名字',
					open: 2,
					inProgress: 1,
					late: 1,
					overdue: 0
				},
				{
					technicianId: bob.id,
					technicianName: 'bob 名字',
					open: 1,
					inProgress: 1,
					late: 1,
					overdue: 1
				},
				{
					technicianId: carol.id,
					technicianName: 'carol 名字',
					open: 0,
					inProgress: 0,
					late: 0,
					overdue: 0
				},
				{
					technicianId: expect.any(String),
					technicianName: 'gone 名字',
					open: 1,
					inProgress: 0,
					late: 0,
					overdue: 0
				}
			];
			expect((await read(desk)).technicians).toEqual(expected);
			expect((await read(desk, { technician: carol.id })).technicians).toEqual(expected);
			expect((await read(desk)).categories.map((c) => c.name)).toEqual(['AC', 'WASH']);
		});

		it('shows each station only its own jobs and technicians', async () => {
			const south = await read(southDesk);
			expect(numbers(south)).toEqual(['S-1']);
			expect(south.technicians.map((t) => t.technicianName)).toEqual(['dave 名字']);
			// Another station's technician as a filter matches nothing here.
			expect(numbers(await read(southDesk, { technician: alice.id }))).toEqual([]);
			expect(await countOverdueOpenJobs(db, southDesk, NOW)).toBe(1);
		});

		it('is the desk’s and the supervisors’ only: technicians and administrators are refused', async () => {
			for (const [user, key] of [
				[alice, 'desk_only'],
				[admin, 'station_admin_read_only']
			] as const) {
				await expect(read(user)).rejects.toMatchObject({
					code: 'FORBIDDEN',
					reason: { key }
				});
				await expect(countOverdueOpenJobs(db, user, NOW)).rejects.toMatchObject({
					code: 'FORBIDDEN'
				});
				await expect(createCaller({ db, user }).openJobs({})).rejects.toMatchObject({
					code: 'FORBIDDEN'
				});
			}
			await expect(createCaller({ db, user: null }).openJobs({})).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
		});

		it('answers through tRPC with the filters validated', async () => {
			const board = await createCaller({ db, user: boss }).openJobs({ technician: 'unassigned' });
			expect(numbers(board)).toEqual(['U-OLD', 'U-NEW']);
			for (const input of [
				{ technician: 'nobody' },
				{ status: 'completed' },
				{ olderThanHours: 0 },
				{ olderThanHours: 1.5 },
				{ unknown: 1 }
			]) {
				await expect(
					createCaller({ db, user: boss }).openJobs(input as never)
				).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			}
		});
	});
}
