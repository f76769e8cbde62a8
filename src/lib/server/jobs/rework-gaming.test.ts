/**
 * The gaming catalogue of issue 13, item 3 (docs/kpi-rules.md "Links" and "Appeals and
 * exclusions"): a technician cannot aim a rework at a colleague (the try took a
 * colleague from 70.3 to 54.9), cannot link an unrelated job of their own, cannot dilute rates
 * with empty jobs, and appeals go from the job's technician to a supervisor of the station.
 * Each attempt through the service (the tRPC create's path) and through the phone's sync push
 * (its fast path and the savepoint path). Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { computeScorecard } from '../kpi/scorecard';
import { drillDownJobs } from '../kpi/drill-down';
import { syncApi, TestDevice } from '../sync/testing';
import { appealsOfJob, decideAppeal, fileAppeal, listAppeals } from '../review/appeals';
import { createJob as createJobAsUser } from './service';
import { openJobFromCall } from './intake';
import type { MutationEnvelope } from '../../shared/sync';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const at = (day: number, hour = 1) => new Date(Date.UTC(2026, 2, day, hour));
const refusedWith = (key: string) => ({ reason: { key } });
const DETAILS = {
	customerName: '',
	customerPhone: '',
	customerAddress: '',
	productModel: '',
	deviceSerial: '',
	notes: '',
	faultDescription: 'E4'
};

for (const engine of testEngines()) {
	describe(`reworks cannot be aimed at a colleague; appeals (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let station: Awaited<ReturnType<typeof createStation>>;
		let ana: SessionUser;
		let ben: SessionUser;
		let desk: SessionUser;
		let boss: SessionUser;
		let elsewhere: SessionUser;
		/** Ben's completed job: same device and customer as Ana's attempts. */
		let bens: Job;
		/** Ana's own completed jobs: one of the customer's washer, one unrelated. */
		let anasWasher: Job;
		let anasOther: Job;

		const completed = (day: number) => ({
			status: 'completed' as const,
			outcome: 'fixed' as const,
			reportedAt: at(day, 0),
			arrivedAt: at(day, 1),
			startedAt: at(day, 2),
			completedAt: at(day, 3)
		});

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			station = await createStation(db, 'GAME');
			ana = await createUser(db, station, 'ana');
			ben = await createUser(db, station, 'ben');
			desk = await createUser(db, station, 'desk', 'dispatcher');
			boss = await createUser(db, station, 'boss', 'supervisor');
			const other = await createStation(db, 'ELSE');
			elsewhere = await createUser(db, other, 'else-boss', 'supervisor');
			bens = await createJob(db, ben, {
				...completed(2),
				customerName: '王女士',
				customerPhone: '13800000001',
				deviceSerial: 'SN-WASH-1'
			});
			for (const day of [3, 4, 5]) await createJob(db, ben, completed(day));
			anasWasher = await createJob(db, ana, {
				...completed(3),
				customerName: '李先生',
				customerPhone: '13900000002',
				deviceSerial: 'SN-ANA-1'
			});
			anasOther = await createJob(db, ana, {
				...completed(4),
				customerName: '赵先生',
				customerPhone: '13900000003',
				deviceSerial: 'SN-ANA-2'
			});
		});

		afterAll(async () => {
			await handle?.close();
		});

		const scoreOf = async (user: SessionUser) => {
			await refreshStaleFacts(handle.db);
			return (await computeScorecard(handle.db, { stationId: station.id, ...MARCH })).find(
				(row) => row.login === user.login
			);
		};

		const exists = async (id: string) =>
			(
				await handle.db
					.select({ id: jobs.id })
					.from(jobs)
					.where(and(eq(jobs.stationId, station.id), eq(jobs.id, id)))
			).length === 1;

		/** A new job of Ana's phone revisiting `previousJobId`, as the form would send it. */
		const revisit = (previousJobId: string, fields: Record<string, unknown> = {}) => ({
			id: randomUUID(),
			jobNo: `R-${randomUUID().slice(0, 8)}`,
			reportedAt: at(20),
			customerName: '王女士',
			customerPhone: '13800000001',
			customerAddress: '',
			productModel: 'XQB80',
			deviceSerial: 'SN-WASH-1',
			faultDescription: 'E4 again',
			notes: '',
			previousJobId,
			...fields
		});

		/** Pushes raw job.create mutations (unaltered by TestDevice) and returns the results. */
		async function push(user: SessionUser, args: Record<string, unknown>[]) {
			const mutations = args.map(
				(job, index) =>
					({ id: index + 1, name: 'job.create', args: job, madeAt: at(20) }) as MutationEnvelope
			);
			const answer = await syncApi(handle.db, user).push({ clientId: randomUUID(), mutations });
			return answer.results;
		}

		it("refuses a link to a colleague's job, and the colleague's score stays", async () => {
			const before = await scoreOf(ben);
			expect(before?.repair_success_rate).toBe(1);
			// The same device and customer: only whose job it is stands in the way.
			const service = revisit(bens.id);
			await expect(createJobAsUser(handle.db, ana, service)).rejects.toMatchObject({
				kind: 'not_found',
				...refusedWith('previous_job_not_own')
			});
			// Through the phone's push: alone (the fast path, then the savepoint that says why),
			// and in a batch with a good job, which still goes through.
			const alone = revisit(bens.id);
			expect(await push(ana, [alone])).toMatchObject([
				{ status: 'rejected', error: { code: 'NOT_FOUND', ...refusedWith('previous_job_not_own') } }
			]);
			const fine = revisit(anasWasher.id, { deviceSerial: 'SN-ANA-1' });
			const batched = revisit(bens.id);
			const results = await push(ana, [fine, batched]);
			expect(results.map((result) => result.status)).toEqual(['applied', 'rejected']);
			for (const job of [service, alone, batched]) expect(await exists(job.id)).toBe(false);
			// A job id that does not exist reads the same: nothing about a colleague's job leaks.
			await expect(createJobAsUser(handle.db, ana, revisit(randomUUID()))).rejects.toMatchObject(
				refusedWith('previous_job_not_own')
			);
			expect(await scoreOf(ben)).toEqual(before);
		});

		it("refuses a link to an unrelated or a later job of one's own", async () => {
			const unrelated = revisit(anasOther.id);
			await expect(createJobAsUser(handle.db, ana, unrelated)).rejects.toMatchObject(
				refusedWith('previous_job_unrelated')
			);
			expect(await push(ana, [revisit(anasOther.id)])).toMatchObject([
				{ status: 'rejected', error: refusedWith('previous_job_unrelated') }
			]);
			// The same customer by name when the new job has no phone: allowed.
			const byName = revisit(anasOther.id, { customerName: ' 赵先生 ', customerPhone: '' });
			expect(await push(ana, [byName])).toMatchObject([{ status: 'applied' }]);
			// Reported before the job it claims to revisit.
			const earlier = revisit(anasOther.id, { deviceSerial: 'sn-ana-2', reportedAt: at(1) });
			await expect(createJobAsUser(handle.db, ana, earlier)).rejects.toMatchObject(
				refusedWith('previous_job_not_earlier')
			);
			expect(await exists(unrelated.id)).toBe(false);
			expect(await exists(earlier.id)).toBe(false);
		});

		it('lets the desk and supervisors link across technicians', async () => {
			const before = await scoreOf(ben);
			const linked = await createJobAsUser(handle.db, boss, {
				...revisit(bens.id),
				technicianId: ana.id,
				customerPhone: '',
				deviceSerial: ''
			});
			expect(linked.previousJobId).toBe(bens.id);
			// The control: a link does move a colleague's score, which is why only they may.
			const after = await scoreOf(ben);
			expect(after?.repair_success_rate).toBe(0.75);
			await handle.db
				.delete(jobs)
				.where(and(eq(jobs.stationId, station.id), eq(jobs.id, linked.id)));
			expect(await scoreOf(ben)).toEqual(before);
		});

		it('refuses an empty job from a technician, by service and by push', async () => {
			const empty = {
				id: randomUUID(),
				jobNo: `E-${randomUUID().slice(0, 8)}`,
				reportedAt: at(20)
			};
			await expect(createJobAsUser(handle.db, ana, { ...empty, ...DETAILS })).rejects.toMatchObject(
				{ kind: 'bad_request', ...refusedWith('job_needs_customer') }
			);
			const cases: [Record<string, unknown>, string][] = [
				[{}, 'job_needs_customer'],
				[{ customerPhone: '13800000009' }, 'job_needs_device'],
				[{ customerName: '   ', customerPhone: '138' }, 'job_needs_device'],
				[{ customerName: '钱', deviceSerial: 'SN-9' }, 'job_needs_fault']
			];
			for (const [fields, key] of cases) {
				const job = { ...empty, id: randomUUID(), jobNo: `E-${randomUUID()}`, ...fields };
				expect(await push(ana, [job])).toMatchObject([
					{ status: 'rejected', error: refusedWith(key) }
				]);
				expect(await exists(job.id)).toBe(false);
			}
			// A category names the fault; a supervisor may still open a bare job for the station.
			const named = {
				...empty,
				id: randomUUID(),
				jobNo: `E-${randomUUID()}`,
				customerName: '钱',
				productModel: 'M',
				faultCategoryId: null,
				faultDescription: '不转'
			};
			expect(await push(ana, [named])).toMatchObject([{ status: 'applied' }]);
			const bare = { ...empty, id: randomUUID(), jobNo: `E-${randomUUID()}` };
			expect(await push(boss, [bare])).toMatchObject([{ status: 'applied' }]);
		});

		describe('appeals', () => {
			/** Ana's job the desk linked a revisit to: a rework that counts it as failed. */
			let reworked: Job;
			/** Ana's job completed without an arrival: flagged missing_arrival. */
			let flagged: Job;

			beforeAll(async () => {
				reworked = await createJob(handle.db, ana, {
					...completed(10),
					customerName: '孙女士',
					customerPhone: '13700000004'
				});
				flagged = await createJob(handle.db, ana, { ...completed(11), arrivedAt: null });
				await openJobFromCall(handle.db, desk, {
					customerName: '孙女士',
					customerPhone: '13700000004',
					customerAddress: '',
					productModel: '',
					deviceSerial: '',
					faultDescription: '又坏了',
					urgency: 'normal',
					previousJobId: reworked.id,
					technicianId: ben.id
				});
			});

			const appeal = (job: Job, subject: 'rework' | 'flag', flag: string | null = null) => ({
				jobId: job.id,
				subject,
				flag,
				reason: '客户换了另一台机器',
				evidence: '照片见微信'
			});

			it('a technician appeals a rework on their own job; only a supervisor decides', async () => {
				const before = await scoreOf(ana);
				await refreshStaleFacts(handle.db);
				expect(await appealsOfJob(handle.db, ana, reworked.id)).toMatchObject({
					reworkedBy: [expect.stringMatching(/^D/)],
					appeals: []
				});
				const filed = await fileAppeal(handle.db, ana, appeal(reworked, 'rework'));
				expect(filed).toMatchObject({ status: 'pending', technicianName: ana.name });
				await expect(fileAppeal(handle.db, ana, appeal(reworked, 'rework'))).rejects.toMatchObject({
					kind: 'conflict',
					...refusedWith('appeal_pending')
				});
				// Nobody but the job's technician appeals; nobody but a supervisor decides.
				await expect(fileAppeal(handle.db, ben, appeal(reworked, 'rework'))).rejects.toMatchObject({
					kind: 'not_found',
					...refusedWith('job_not_found')
				});
				for (const [user, key] of [
					[desk, 'appeal_technician_only'],
					[boss, 'appeal_technician_only']
				] as const) {
					await expect(
						fileAppeal(handle.db, user, appeal(reworked, 'rework'))
					).rejects.toMatchObject(refusedWith(key));
				}
				const decision = { appealId: filed.id, accept: true, reason: '核实为另一台机器' };
				await expect(decideAppeal(handle.db, ana, decision)).rejects.toMatchObject(
					refusedWith('supervisor_only')
				);
				await expect(decideAppeal(handle.db, desk, decision)).rejects.toMatchObject(
					refusedWith('desk_supervisor_only')
				);
				await expect(decideAppeal(handle.db, elsewhere, decision)).rejects.toMatchObject({
					kind: 'not_found',
					...refusedWith('appeal_not_found')
				});
				expect(await scoreOf(ana)).toEqual(before);

				const accepted = await decideAppeal(handle.db, boss, decision);
				expect(accepted).toMatchObject({
					status: 'accepted',
					decidedByName: boss.name,
					decisionReason: '核实为另一台机器'
				});
				expect(accepted.decidedAt).not.toBeNull();
				await expect(decideAppeal(handle.db, boss, decision)).rejects.toMatchObject(
					refusedWith('appeal_decided')
				);
				// Out of the repair success rate, with the reason shown in both drill-downs.
				const exclusion = { kpi: 'repair_success_rate', reason: '核实为另一台机器' };
				await refreshStaleFacts(handle.db);
				const drilled = await drillDownJobs(handle.db, {
					stationId: station.id,
					...MARCH,
					technicianId: ana.id
				});
				expect(drilled.find((job) => job.job_id === reworked.id)).toMatchObject({
					excluded_kpis: ['repair_success_rate'],
					exclusions: [exclusion]
				});
				await refreshStaleFacts(handle.db);
				expect(await appealsOfJob(handle.db, ana, reworked.id)).toMatchObject({
					exclusions: [exclusion],
					appeals: [{ status: 'accepted' }]
				});
				const after = await scoreOf(ana);
				expect(after?.repair_success_rate).toBeGreaterThan(before?.repair_success_rate ?? 1);
				await expect(fileAppeal(handle.db, ana, appeal(reworked, 'rework'))).rejects.toMatchObject(
					refusedWith('appeal_already_excluded')
				);
			});

			it('a rejected flag appeal changes nothing; only flags the job carries', async () => {
				await expect(
					fileAppeal(handle.db, ana, appeal(flagged, 'flag', 'same_minute'))
				).rejects.toMatchObject(refusedWith('appeal_no_flag'));
				await expect(fileAppeal(handle.db, ana, appeal(flagged, 'rework'))).rejects.toMatchObject(
					refusedWith('appeal_no_rework')
				);
				const before = await scoreOf(ana);
				const filed = await fileAppeal(handle.db, ana, appeal(flagged, 'flag', 'missing_arrival'));
				const rejected = await decideAppeal(handle.db, boss, {
					appealId: filed.id,
					accept: false,
					reason: '没有到场记录'
				});
				expect(rejected).toMatchObject({ status: 'rejected', decisionReason: '没有到场记录' });
				expect(await scoreOf(ana)).toEqual(before);
				const [facts] = await queryRows<{ excluded: string[] }>(
					handle.db,
					sql`SELECT excluded_kpis::text[] AS excluded FROM job_kpi_facts
						WHERE station_id = ${station.id}::uuid AND job_id = ${flagged.id}::uuid`
				);
				expect(facts.excluded).toEqual([]);
				// Rejected, it may be appealed again (with new evidence); accepted, it is excluded.
				const again = await fileAppeal(handle.db, ana, appeal(flagged, 'flag', 'missing_arrival'));
				await decideAppeal(handle.db, boss, { appealId: again.id, accept: true, reason: '补录' });
				const after = await scoreOf(ana);
				expect(after?.record_accuracy).toBeGreaterThan(before?.record_accuracy ?? 1);
				const listed = await listAppeals(handle.db, boss);
				expect(listed.map((row) => row.status).sort()).toEqual([
					'accepted',
					'accepted',
					'rejected'
				]);
				await expect(listAppeals(handle.db, ana)).rejects.toMatchObject(
					refusedWith('supervisor_only')
				);
			});

			it('a job still open has nothing to appeal', async () => {
				const open = await createJob(handle.db, ana, { reportedAt: at(12) });
				await expect(fileAppeal(handle.db, ana, appeal(open, 'rework'))).rejects.toMatchObject(
					refusedWith('appeal_job_not_completed')
				);
			});
		});

		it('a technician links their own earlier job of the same device through the phone', async () => {
			const phone = new TestDevice(handle.db, ana);
			const job = revisit(anasWasher.id, { deviceSerial: ' sn-ana-1 ', customerPhone: '' });
			expect(await phone.send('job.create', job as never)).toMatchObject({ status: 'applied' });
			const [row] = await handle.db
				.select({ previous: jobs.previousJobId })
				.from(jobs)
				.where(and(eq(jobs.stationId, station.id), eq(jobs.id, job.id)));
			expect(row.previous).toBe(anasWasher.id);
		});
	});
}
