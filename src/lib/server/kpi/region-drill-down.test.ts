/**
 * The region manager's reads of the jobs behind the numbers (roles.md: "Read jobs: region (read
 * only)"), and a system administrator assigning the region: a station of the region opens (its
 * technicians, a technician's scorecard with the jobs behind it, a job); another station, and
 * every job and technician of it, is NOT_FOUND; no write path accepts the manager, not even with
 * the region's reader in hand; only a system administrator assigns stations, audited. Runs on
 * every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { accountAudit, jobs, regionStations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { setRegionStations } from '../auth/accounts';
import { assignJob, cancelJob, verifyJob } from '../jobs/service';
import { regionReaderOf } from '../jobs/access';
import { TestDevice } from '../sync/testing';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { refreshStaleFacts } from './fact-refresh';
import { computeScorecard } from './scorecard';
import { codeOf, outcomeOf } from '../testing/outcomes';

const createCaller = createCallerFactory(appRouter);
const MARCH = { from: '2026-03-01', to: '2026-04-01' };

/** A completed job of March, reported at 9:00 and done by 11:00 (Shanghai). */
function completedJob(technician: SessionUser, day: number) {
	const date = `2026-03-${String(day).padStart(2, '0')}`;
	return {
		status: 'completed' as const,
		outcome: 'fixed' as const,
		customerName: `客户${day}`,
		reportedAt: new Date(`${date}T01:00:00Z`),
		arrivedAt: new Date(`${date}T01:30:00Z`),
		startedAt: new Date(`${date}T01:40:00Z`),
		completedAt: new Date(`${date}T03:00:00Z`),
		technicianId: technician.id
	};
}

for (const engine of testEngines()) {
	describe(`the region manager's drill-down on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let northId: string;
		let southId: string;
		let northTech: SessionUser;
		let southTech: SessionUser;
		let northSupervisor: SessionUser;
		let northJobId: string;
		let southJobId: string;
		let manager: SessionUser;
		let systemAdmin: SessionUser;
		let stationAdmin: SessionUser;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			const south = await createStation(db, 'SOUTH');
			const home = await createStation(db, 'RHQ');
			northId = north.id;
			southId = south.id;
			northTech = await createUser(db, north, 'n-tech');
			southTech = await createUser(db, south, 's-tech');
			northSupervisor = await createUser(db, north, 'n-boss', 'supervisor');
			northJobId = (await createJob(db, northTech, completedJob(northTech, 3))).id;
			await createJob(db, northTech, completedJob(northTech, 4));
			southJobId = (await createJob(db, southTech, completedJob(southTech, 5))).id;
			await refreshStaleFacts(db);
			manager = await createUser(db, home, 'region', 'region_manager');
			systemAdmin = await createUser(db, home, 'root', 'system_admin');
			stationAdmin = await createUser(db, north, 'n-admin', 'admin');
		});
		afterAll(() => handle?.close());

		const api = (user: SessionUser) => createCaller({ db, user });
		const managerRef = () => ({ stationId: manager.stationId, userId: manager.id });

		// First: the other tests read the region this assigns.
		it('is assigned its stations by a system administrator on the admin API, audited', async () => {
			// A station administrator (and anyone below a system administrator) is refused.
			expect(
				await codeOf(() =>
					api(stationAdmin).admin.users.setRegionStations({
						...managerRef(),
						stationCodes: ['NORTH']
					})
				)
			).toBe('FORBIDDEN');
			expect(
				await outcomeOf(() =>
					setRegionStations(
						db,
						{ ...managerRef(), stationCodes: ['NORTH'] },
						{ actor: { kind: 'user', user: stationAdmin } }
					)
				)
			).toBe('region_assign_not_allowed');
			expect(
				await codeOf(() =>
					api(manager).admin.users.setRegionStations({ ...managerRef(), stationCodes: ['NORTH'] })
				)
			).toBe('FORBIDDEN');
			expect(await db.select().from(regionStations)).toEqual([]);

			const assigned = await api(systemAdmin).admin.users.setRegionStations({
				...managerRef(),
				stationCodes: ['north', 'SOUTH'],
				reason: '新区域'
			});
			expect(assigned.stationCodes).toEqual(['NORTH', 'SOUTH']);
			// Unassigning South: the list replaces the one before.
			await api(systemAdmin).admin.users.setRegionStations({
				...managerRef(),
				stationCodes: ['NORTH'],
				reason: '南区移交'
			});
			const detail = await api(systemAdmin).admin.users.get(managerRef());
			expect(detail.regionStationCodes).toEqual(['NORTH']);
			expect(
				detail.history.map(({ action, actorLogin, before, after, reason }) => ({
					action,
					actorLogin,
					before,
					after,
					reason
				}))
			).toEqual([
				{
					action: 'region_change',
					actorLogin: 'RHQ/root',
					before: { stations: ['NORTH', 'SOUTH'] },
					after: { stations: ['NORTH'] },
					reason: '南区移交'
				},
				{
					action: 'region_change',
					actorLogin: 'RHQ/root',
					before: { stations: [] },
					after: { stations: ['NORTH', 'SOUTH'] },
					reason: '新区域'
				}
			]);
			// Any other account shows no region.
			const other = await api(systemAdmin).admin.users.get({
				stationId: northId,
				userId: northTech.id
			});
			expect(other.regionStationCodes).toBeNull();
			const audited = await db
				.select()
				.from(accountAudit)
				.where(and(eq(accountAudit.userId, manager.id), eq(accountAudit.action, 'region_change')));
			expect(audited).toHaveLength(2);
		});

		it("reads a station of the region: its technicians, a technician's jobs behind the numbers, a job", async () => {
			const me = api(manager);
			const technicians = await me.region.stationTechnicians({ stationId: northId });
			expect(technicians.map((t) => t.login)).toEqual(['n-tech']);

			const report = await me.region.technicianReport({
				stationId: northId,
				technicianId: northTech.id,
				...MARCH
			});
			expect(report.station).toMatchObject({ id: northId, code: 'NORTH' });
			// The numbers are the station's own scorecard's, as its supervisor reads them.
			const [ownRow] = await computeScorecard(db, { stationId: northId, ...MARCH });
			expect(report.row).toEqual(ownRow);
			expect(report.jobs.map((job) => job.customer_name).sort()).toEqual(['客户3', '客户4']);
			const supervisors = await api(northSupervisor).kpi.drillDown({
				...MARCH,
				technicianId: northTech.id
			});
			expect(report.jobs).toEqual(supervisors);
			// One builder (technician-report.ts): the supervisor's technician page is the same.
			const { station, ...asRead } = report;
			expect(station.code).toBe('NORTH');
			expect(
				await api(northSupervisor).kpi.technicianReport({ technicianId: northTech.id, ...MARCH })
			).toEqual(asRead);
			expect(
				await api(northSupervisor).kpi.technicianReport({ technicianId: manager.id, ...MARCH })
			).toBeNull();
			// A technician has their own scorecard page, not this one (roles.md).
			expect(
				await outcomeOf(() =>
					api(northTech).kpi.technicianReport({ technicianId: northTech.id, ...MARCH })
				)
			).toBe('FORBIDDEN');

			// The jobs behind the station's own figures: its supervisor's page of them.
			const stationJobs = await me.region.stationDrillDown({ stationId: northId, ...MARCH });
			expect(stationJobs.station).toMatchObject({ id: northId, code: 'NORTH' });
			const { station: _station, ...stationJobsAsRead } = stationJobs;
			expect(stationJobsAsRead).toEqual(await api(northSupervisor).kpi.stationDrillDown(MARCH));
			expect(stationJobs.jobsCompleted).toBe(2);

			const job = await me.region.job({ stationId: northId, jobId: northJobId });
			expect(job.station.code).toBe('NORTH');
			expect(job.detail.job.id).toBe(northJobId);
			expect(job.detail.technicianName).toBe(northTech.name);
			expect(job.history).toEqual(await api(northSupervisor).jobs.history({ jobId: northJobId }));
		});

		it('finds nothing outside the region: the station, its technicians and its jobs are NOT_FOUND', async () => {
			const me = api(manager);
			const calls = {
				unassignedStation: () => me.region.stationTechnicians({ stationId: southId }),
				unassignedReport: () =>
					me.region.technicianReport({ stationId: southId, technicianId: southTech.id, ...MARCH }),
				unassignedJob: () => me.region.job({ stationId: southId, jobId: southJobId }),
				unassignedStationJobs: () => me.region.stationDrillDown({ stationId: southId, ...MARCH }),
				// Another station's job named under a station of the region: not there either.
				jobOfOtherStation: () => me.region.job({ stationId: northId, jobId: southJobId }),
				missingJob: () => me.region.job({ stationId: northId, jobId: randomUUID() }),
				otherStationsTechnician: () =>
					me.region.technicianReport({ stationId: northId, technicianId: southTech.id, ...MARCH }),
				notAStationId: () => me.region.stationTechnicians({ stationId: 'NORTH' })
			};
			for (const [name, call] of Object.entries(calls)) {
				expect(await codeOf(call), name).toBe('NOT_FOUND');
			}
			expect(await outcomeOf(calls.unassignedJob)).toBe('region_station_unknown');
			expect(await outcomeOf(calls.jobOfOtherStation)).toBe('job_not_found');
			expect(await outcomeOf(calls.otherStationsTechnician)).toBe('region_technician_unknown');
			// The reads are the region manager's alone.
			expect(
				await codeOf(() =>
					api(northSupervisor).region.stationDrillDown({ stationId: northId, ...MARCH })
				)
			).toBe('FORBIDDEN');
			expect(
				await codeOf(() =>
					api(northSupervisor).region.job({ stationId: northId, jobId: northJobId })
				)
			).toBe('FORBIDDEN');
			expect(await outcomeOf(() => regionReaderOf(db, northSupervisor, northId))).toBe(
				'region_managers_only'
			);
		});

		it('is refused every write: procedures, the sync push, and the services with the reader in hand', async () => {
			const me = api(manager);
			const refusals = {
				assign: await codeOf(() =>
					me.jobs.assign({ jobId: northJobId, technicianId: northTech.id, reason: '调整' })
				),
				cancel: await codeOf(() => me.jobs.cancel({ jobId: northJobId, reason: '取消' })),
				verify: await codeOf(() => me.jobs.verify({ jobId: northJobId })),
				detail: await codeOf(() => me.jobs.detail({ id: northJobId })),
				push: await outcomeOf(() =>
					new TestDevice(db, manager).send('job.arrive', {
						jobId: northJobId,
						at: new Date('2026-03-03T01:30:00Z')
					})
				),
				createStation: await codeOf(() =>
					me.admin.stations.create({ code: 'MINE', name: '我的站', timeZone: 'Asia/Shanghai' })
				)
			};
			expect(refusals).toEqual({
				assign: 'FORBIDDEN',
				cancel: 'FORBIDDEN',
				verify: 'FORBIDDEN',
				detail: 'FORBIDDEN',
				push: 'FORBIDDEN',
				createStation: 'FORBIDDEN'
			});
			// Behind the transports: the services refuse the region's reader itself.
			const reader = await regionReaderOf(db, manager, northId);
			const services = [
				await outcomeOf(() =>
					assignJob(db, reader, { jobId: northJobId, technicianId: northTech.id, reason: '调整' })
				),
				await outcomeOf(() => cancelJob(db, reader, { jobId: northJobId, reason: '取消' })),
				await outcomeOf(() => verifyJob(db, reader, { jobId: northJobId, at: new Date() }))
			];
			expect(services).toEqual(Array(services.length).fill('region_manager_read_only'));
			const [job] = await db.select().from(jobs).where(eq(jobs.id, northJobId));
			expect(job).toMatchObject({
				verifiedAt: null,
				status: 'completed',
				technicianId: northTech.id
			});
		});
	});
}
