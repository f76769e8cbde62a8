/**
 * The gaming catalogue of satisfaction (issue 13, docs/kpi-rules.md "Who may score satisfaction
 * and resolution", docs/survey.md): every way a technician might raise their own satisfaction or
 * resolution, through tRPC and through the phone's sync push (its fast path and its one-by-one
 * path), is refused with its reason or kept without being scored; and the customer survey
 * refuses forged, expired, reused, other-station and staff answers, and throttles per address.
 * Runs on every engine.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, surveyAnswers, surveyThrottle, type NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { jobFacts } from '../kpi/job-facts';
import { surveyKeyOf } from '../survey/key';
import {
	SURVEY_ATTEMPTS_PER_WINDOW,
	answerSurvey,
	countSurveyRequest,
	openSurvey,
	refuseStaffSession
} from '../survey/service';
import { testEngines } from '../testing/databases';
import { outcomeOf } from '../testing/outcomes';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { TestDevice } from '../sync/testing';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import {
	SURVEY_TOKEN_LENGTH,
	base64url,
	signSurveyToken,
	surveyExpiry
} from '../../shared/survey-token';
import { CLOCK_SKEW_TOLERANCE_SECONDS } from '../../shared/honesty-domain';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const createCaller = createCallerFactory(appRouter);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const localDate = (at: Date) => at.toISOString().slice(0, 10);

for (const engine of testEngines()) {
	describe(`satisfaction gaming (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** A station with its people and a job of Alice completed two days ago. */
		async function station() {
			const created = await createStation(db, `G${++stationCount}`);
			const alice = await createUser(db, created, 'alice');
			const s = {
				created,
				alice,
				bob: await createUser(db, created, 'bob'),
				desk: await createUser(db, created, 'desk', 'dispatcher'),
				boss: await createUser(db, created, 'boss', 'supervisor'),
				job: await completed(alice, 'G-1', 2)
			};
			return s;
		}

		function completed(
			tech: SessionUser,
			jobNo: string,
			daysAgo: number,
			values: Partial<NewJob> = {}
		) {
			const completedAt = new Date(Date.now() - daysAgo * DAY);
			return createJob(db, tech, {
				jobNo,
				status: 'completed',
				outcome: 'fixed',
				reportedAt: new Date(completedAt.getTime() - 3 * HOUR),
				arrivedAt: new Date(completedAt.getTime() - 2 * HOUR),
				startedAt: new Date(completedAt.getTime() - 90 * 60_000),
				completedAt,
				...values
			});
		}

		/** What the KPIs take from the job: its latest scored satisfaction and whether followed up. */
		async function scored(user: SessionUser, jobId: string) {
			const now = new Date();
			await refreshStaleFacts(db);
			const facts = await jobFacts(db, {
				stationId: user.stationId,
				from: localDate(new Date(now.getTime() - 60 * DAY)),
				to: localDate(new Date(now.getTime() + 2 * DAY))
			});
			const fact = facts.find((row) => row.job_id === jobId)!;
			return { satisfaction: fact.latest_satisfaction, followedUp: fact.has_follow_up };
		}

		const note = (jobId: string, values: Record<string, unknown> = {}) => ({
			id: randomUUID(),
			jobId,
			visitedAt: new Date(Date.now() - HOUR),
			channel: 'phone' as const,
			comment: '客户说好了',
			...values
		});

		/** A technician's (or anyone's) follow-up through tRPC or the phone's push; its reason. */
		const paths = {
			trpc: (user: SessionUser, input: ReturnType<typeof note>) =>
				outcomeOf(() => createCaller({ db, user }).followUps.add(input)),
			push: async (user: SessionUser, input: ReturnType<typeof note>) => {
				const result = await new TestDevice(db, user).send('followUp.add', input);
				return result.status === 'applied' ? 'ok' : (result.error?.reason?.key ?? 'rejected');
			}
		};

		const reachedCall = (jobId: string, satisfaction: number) => ({
			id: randomUUID(),
			jobId,
			outcome: 'reached' as const,
			satisfaction,
			issueResolved: satisfaction >= 4,
			comment: ''
		});

		for (const [path, add] of Object.entries(paths)) {
			it(`keeps a technician rating their own job 5 as a note, never scored (${path})`, async () => {
				const s = await station();
				expect(await add(s.alice, note(s.job.id, { satisfaction: 5, issueResolved: true }))).toBe(
					'ok'
				);
				const [kept] = await db.select().from(followUps).where(eq(followUps.jobId, s.job.id));
				expect(kept).toMatchObject({ source: 'technician', satisfaction: 5 });
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: null, followedUp: false });
			});

			it(`lets no later technician entry override the customer's 1 (${path})`, async () => {
				const s = await station();
				await createCaller({ db, user: s.desk }).worklists.recordCall(reachedCall(s.job.id, 1));
				const later = note(s.job.id, {
					visitedAt: new Date(Date.now() + 60_000),
					satisfaction: 5,
					issueResolved: true
				});
				expect(await add(s.alice, later)).toBe('ok');
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 1, followedUp: true });
			});

			it(`keeps the job in the desk's calls after a technician's note, so the customer is still asked (${path})`, async () => {
				const s = await station();
				expect(await add(s.alice, note(s.job.id, { satisfaction: 5 }))).toBe('ok');
				const desk = createCaller({ db, user: s.desk }).worklists;
				const due = await desk.followUpCalls({});
				expect(due.jobs.map((job) => job.jobNo)).toContain('G-1');
				await desk.recordCall(reachedCall(s.job.id, 2));
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 2, followedUp: true });
				expect((await desk.followUpCalls({})).jobs.map((job) => job.jobNo)).not.toContain('G-1');
			});

			it(`refuses follow-ups dated in the future or before the completion (${path})`, async () => {
				const s = await station();
				const ahead = new Date(Date.now() + (CLOCK_SKEW_TOLERANCE_SECONDS + 120) * 1000);
				const yearsAhead = new Date(Date.now() + 3 * 365 * DAY);
				const before = new Date(s.job.completedAt!.getTime() - 60_000);
				// The completion's own minute is not "before" (forms take times to the minute).
				const sameMinute = new Date(
					s.job.completedAt!.getTime() - (s.job.completedAt!.getTime() % 60_000)
				);
				for (const user of [s.alice, s.desk, s.boss]) {
					for (const visitedAt of [ahead, yearsAhead]) {
						expect(await add(user, note(s.job.id, { visitedAt }))).toBe('follow_up_in_future');
					}
					expect(await add(user, note(s.job.id, { visitedAt: before }))).toBe(
						'follow_up_before_completion'
					);
				}
				expect(await db.select().from(followUps).where(eq(followUps.jobId, s.job.id))).toEqual([]);
				// A phone whose clock runs a little ahead is not refused: within the tolerance.
				const drifting = new Date(Date.now() + (CLOCK_SKEW_TOLERANCE_SECONDS - 60) * 1000);
				expect(await add(s.alice, note(s.job.id, { visitedAt: drifting }))).toBe('ok');
				expect(await add(s.alice, note(s.job.id, { visitedAt: s.job.completedAt }))).toBe('ok');
				expect(await add(s.alice, note(s.job.id, { visitedAt: sameMinute }))).toBe('ok');
			});

			it(`gives a verified job's follow-ups to the desk and supervisors (${path})`, async () => {
				const s = await station();
				await createCaller({ db, user: s.boss }).jobs.verify({ jobId: s.job.id });
				expect(await add(s.alice, note(s.job.id, { satisfaction: 5 }))).toBe(
					'follow_up_job_verified'
				);
				await createCaller({ db, user: s.desk }).worklists.recordCall(reachedCall(s.job.id, 3));
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 3, followedUp: true });
				const later = { visitedAt: new Date(Date.now() + 60_000), satisfaction: 2 };
				expect(await add(s.boss, note(s.job.id, later))).toBe('ok');
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 2, followedUp: true });
			});
		}

		it('refuses in a batch (the push fast path) only the badly dated follow-up', async () => {
			const s = await station();
			const other = await completed(s.alice, 'G-2', 1);
			const phone = new TestDevice(db, s.alice);
			const good = phone.record('followUp.add', note(s.job.id));
			const future = phone.record(
				'followUp.add',
				note(other.id, { visitedAt: new Date(Date.now() + DAY) })
			);
			const answer = await phone.push([good, future]);
			expect(answer.results.map((result) => result.status)).toEqual(['applied', 'rejected']);
			expect(answer.results[1].error?.reason?.key).toBe('follow_up_in_future');
			expect(answer.results[1].error?.reason?.params).toEqual({ jobNo: 'G-2' });
		});

		describe('customer survey', () => {
			async function tokenFor(
				signer: SessionUser,
				claims: { stationId?: string; jobId: string; expiresAt?: Date },
				completedAt: Date
			) {
				const key = (await surveyKeyOf(db, signer))!;
				return signSurveyToken(key, {
					stationId: claims.stationId ?? signer.stationId,
					technicianId: signer.id,
					jobId: claims.jobId,
					expiresAt: claims.expiresAt ?? surveyExpiry(completedAt)
				});
			}

			const answer = { satisfaction: 2, issueResolved: 'no' as const, comment: '还是有异响' };

			it('takes one answer, scored as the customer gave it, and syncs it to the phone', async () => {
				const s = await station();
				const token = await tokenFor(s.alice, { jobId: s.job.id }, s.job.completedAt!);
				expect(token).toHaveLength(SURVEY_TOKEN_LENGTH);
				expect(await openSurvey(db, token)).toMatchObject({ stationName: s.created.name });
				await answerSurvey(db, token, answer);

				const [row] = await db
					.select()
					.from(surveyAnswers)
					.where(eq(surveyAnswers.jobId, s.job.id));
				expect(row).toMatchObject({ satisfaction: 2, issueResolved: false, comment: '还是有异响' });
				const [followUp] = await db
					.select()
					.from(followUps)
					.where(eq(followUps.id, row.followUpId));
				expect(followUp).toMatchObject({ source: 'survey', userId: null, satisfaction: 2 });
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 2, followedUp: true });

				// A later technician note leaves the customer's word standing.
				expect(
					await paths.push(s.alice, note(s.job.id, { visitedAt: new Date(), satisfaction: 5 }))
				).toBe('ok');
				expect(await scored(s.boss, s.job.id)).toEqual({ satisfaction: 2, followedUp: true });

				const phone = new TestDevice(db, s.alice);
				await phone.pull();
				expect(phone.rows.followUps.get(followUp.id)).toMatchObject({
					jobId: s.job.id,
					userId: null,
					satisfaction: 2,
					issueResolved: false
				});

				// Reused: the same link, or two answers at once, leave one answer.
				expect(await outcomeOf(() => answerSurvey(db, token, answer))).toBe('survey_answered');
				expect(await outcomeOf(() => openSurvey(db, token))).toBe('survey_answered');
				const second = await completed(s.alice, 'G-3', 1);
				const racing = await tokenFor(s.alice, { jobId: second.id }, second.completedAt!);
				const raced = await Promise.allSettled([
					answerSurvey(db, racing, answer),
					answerSurvey(db, racing, { ...answer, satisfaction: 5 })
				]);
				expect(raced.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
				expect(
					await db.select().from(surveyAnswers).where(eq(surveyAnswers.jobId, second.id))
				).toHaveLength(1);
			});

			it('refuses forged, tampered and unknown tokens alike', async () => {
				const s = await station();
				const valid = await tokenFor(s.alice, { jobId: s.job.id }, s.job.completedAt!);
				// Signed by a colleague's key, naming Alice and her job.
				const bobKey = (await surveyKeyOf(db, s.bob))!;
				const forged = await signSurveyToken(bobKey, {
					stationId: s.created.id,
					technicianId: s.alice.id,
					jobId: s.job.id,
					expiresAt: surveyExpiry(s.job.completedAt!)
				});
				// One character of the job id changed after signing.
				const at = 1 + 2 * 16 + 4;
				const tampered = valid.slice(0, at) + (valid[at] === 'A' ? 'B' : 'A') + valid.slice(at + 1);
				const random = base64url(randomBytes(69));
				// Alice signs a survey of Bob's job: not her job, not her survey to hand out.
				const bobsJob = await completed(s.bob, 'G-4', 1);
				const notHers = await tokenFor(s.alice, { jobId: bobsJob.id }, bobsJob.completedAt!);
				// An open job has no survey yet.
				const open = await createJob(db, s.alice, { jobNo: 'G-5' });
				const early = await tokenFor(s.alice, { jobId: open.id }, new Date());
				for (const token of [forged, tampered, random, notHers, early, 'short', `${valid}x`]) {
					expect(await outcomeOf(() => answerSurvey(db, token, answer)), token).toBe(
						'survey_invalid'
					);
				}
				expect(
					await db.select().from(surveyAnswers).where(eq(surveyAnswers.stationId, s.created.id))
				).toEqual([]);
			});

			it('refuses expired links, whatever expiry the phone signed', async () => {
				const s = await station();
				const past = await tokenFor(
					s.alice,
					{ jobId: s.job.id, expiresAt: new Date(Date.now() - 60_000) },
					s.job.completedAt!
				);
				expect(await outcomeOf(() => answerSurvey(db, past, answer))).toBe('survey_expired');
				const old = await completed(s.alice, 'G-6', 40);
				const stretched = await tokenFor(
					s.alice,
					{ jobId: old.id, expiresAt: new Date(Date.now() + 365 * DAY) },
					old.completedAt!
				);
				expect(await outcomeOf(() => answerSurvey(db, stretched, answer))).toBe('survey_expired');
			});

			it("refuses another station's token and job", async () => {
				const s = await station();
				const elsewhere = await createStation(db, `GX${stationCount}`);
				const carol = await createUser(db, elsewhere, 'carol');
				// Carol's own key, naming a job of Alice's station, under either station.
				for (const stationId of [elsewhere.id, s.created.id]) {
					const token = await tokenFor(carol, { stationId, jobId: s.job.id }, s.job.completedAt!);
					expect(await outcomeOf(() => answerSurvey(db, token, answer))).toBe('survey_invalid');
				}
				// Alice's key with the other station named in the token.
				const moved = await tokenFor(
					s.alice,
					{ stationId: elsewhere.id, jobId: s.job.id },
					s.job.completedAt!
				);
				expect(await outcomeOf(() => answerSurvey(db, moved, answer))).toBe('survey_invalid');
			});

			it('refuses any staff session and gives survey keys to technicians only', async () => {
				expect(await outcomeOf(async () => refuseStaffSession(true))).toBe('survey_staff_session');
				expect(await outcomeOf(async () => refuseStaffSession(false))).toBe('ok');
				const s = await station();
				const { survey } = await createCaller({ db, user: s.alice }).auth.deviceKey();
				expect(survey).toEqual({ key: await surveyKeyOf(db, s.alice), stationId: s.created.id });
				for (const user of [s.desk, s.boss]) {
					expect((await createCaller({ db, user }).auth.deviceKey()).survey).toBeNull();
				}
				expect(survey!.key).not.toBe(await surveyKeyOf(db, s.bob));
			});

			it('throttles each network address in the database', async () => {
				const address = `198.51.100.${stationCount}`;
				for (let i = 0; i < SURVEY_ATTEMPTS_PER_WINDOW; i++) {
					expect(await outcomeOf(() => countSurveyRequest(db, address))).toBe('ok');
				}
				expect(await outcomeOf(() => countSurveyRequest(db, address))).toBe('survey_throttled');
				expect(await outcomeOf(() => countSurveyRequest(db, `${address}0`))).toBe('ok');
				// Once the window has passed, the address starts again.
				await db
					.update(surveyThrottle)
					.set({ windowStart: sql`now() - interval '1 day'` })
					.where(eq(surveyThrottle.address, address));
				expect(await outcomeOf(() => countSurveyRequest(db, address))).toBe('ok');
			});
		});
	});
}
