/**
 * The customer survey (roles.md's last rule, docs/survey.md): a signed link made on the
 * technician's phone at completion opens a public page that takes one answer per job. The
 * answer is a follow-up of source 'survey' (scored: it is the customer's own word) and a
 * survey_answers row, written together; it then syncs to the technician's phone like any
 * follow-up of their job.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { refusal } from '../refusal';
import type { Database, Queryable } from '../db';
import { retryingTransaction } from '../db/outage';
import { queryRows } from '../db/rows';
import { followUps, jobs, stations, surveyAnswers, users } from '../db/schema';
import { surveyKeyFrom } from './key';
import {
	readSurveyToken,
	surveyExpiry,
	verifySurveyToken,
	type SurveyClaims
} from '../../shared/survey-token';
import { surveyAnswerSchema, type SurveyAnswerInput } from '../../shared/survey-schemas';

/** Requests to the survey page one network address may make per window (every instance). */
export const SURVEY_ATTEMPTS_PER_WINDOW = 30;
export const SURVEY_WINDOW_MINUTES = 15;

/**
 * Counts one request from `address` to the survey page and refuses it past the window's
 * allowance. In the database (survey_throttle), so every server instance shares the count; one
 * statement, so concurrent requests cannot both slip under it. Old windows are cleared as they
 * pass, and survey_throttle holds only addresses seen in the last window's worth of requests.
 */
export async function countSurveyRequest(db: Queryable, address: string): Promise<void> {
	const window = sql`make_interval(mins => ${SURVEY_WINDOW_MINUTES})`;
	const [row] = await queryRows<{ attempts: number }>(
		db,
		sql`WITH gone AS (
				DELETE FROM survey_throttle WHERE window_start < now() - ${window} AND address <> ${address}
			)
			INSERT INTO survey_throttle AS t (address, window_start, attempts)
			VALUES (${address}, now(), 1)
			ON CONFLICT (address) DO UPDATE SET
				window_start = CASE WHEN t.window_start < now() - ${window} THEN now() ELSE t.window_start END,
				attempts = CASE WHEN t.window_start < now() - ${window} THEN 1 ELSE t.attempts + 1 END
			RETURNING attempts`
	);
	if (row.attempts > SURVEY_ATTEMPTS_PER_WINDOW) {
		throw refusal(
			'FORBIDDEN',
			'Too many survey requests from this network address; try again later.',
			'survey_throttled',
			{ minutes: SURVEY_WINDOW_MINUTES }
		);
	}
}

/** A staff member's browser (any session cookie, valid or not) never answers a survey. */
export function refuseStaffSession(hasSessionCookie: boolean): void {
	if (hasSessionCookie) {
		throw refusal(
			'FORBIDDEN',
			'Staff cannot answer customer surveys: the customer answers on their own phone.',
			'survey_staff_session'
		);
	}
}

export interface OpenSurvey {
	/** All the page shows of the job: whose station did the repair. */
	stationName: string;
	claims: SurveyClaims;
}

const invalid = () => refusal('NOT_FOUND', 'This survey link is not valid.', 'survey_invalid');

/**
 * The survey a token opens, or a refusal: not a token, not signed by its technician's key,
 * naming a job that is not that technician's completed job in that station (another station's
 * job included), past its expiry or SURVEY_VALID_DAYS after the completion (whatever expiry
 * the phone signed), or already answered. A forged or unknown token is told apart from nothing:
 * one "not valid" for all.
 */
export async function openSurvey(
	db: Queryable,
	token: string,
	now = new Date()
): Promise<OpenSurvey> {
	const claims = readSurveyToken(token);
	if (!claims) throw invalid();
	const [found] = await db
		.select({
			localDataKey: users.localDataKey,
			stationName: stations.name,
			status: jobs.status,
			completedAt: jobs.completedAt,
			answered: sql<boolean>`EXISTS (SELECT 1 FROM ${surveyAnswers} a
				WHERE a.station_id = ${jobs.stationId} AND a.job_id = ${jobs.id})`
		})
		.from(users)
		.innerJoin(stations, eq(stations.id, users.stationId))
		.innerJoin(
			jobs,
			and(
				eq(jobs.stationId, users.stationId),
				eq(jobs.id, claims.jobId),
				eq(jobs.technicianId, users.id)
			)
		)
		.where(and(eq(users.stationId, claims.stationId), eq(users.id, claims.technicianId)));
	if (!found || !(await verifySurveyToken(surveyKeyFrom(found.localDataKey), claims.bytes))) {
		throw invalid();
	}
	if (found.status !== 'completed' || !found.completedAt) throw invalid();
	if (now > claims.expiresAt || now > surveyExpiry(found.completedAt)) {
		throw refusal('BAD_REQUEST', 'This survey link has expired.', 'survey_expired');
	}
	if (found.answered) {
		throw refusal('CONFLICT', 'This survey has already been answered.', 'survey_answered');
	}
	return { stationName: found.stationName, claims };
}

/**
 * Records the customer's answer: the follow-up (source survey, nobody's account, dated now) and
 * its survey_answers row in one transaction. survey_answers' key (station, job) is the "one
 * answer per job" of roles.md, and the job's lock makes a second answer sent at the same moment
 * wait and then be refused as already answered rather than fail on that key.
 */
export async function answerSurvey(
	db: Database,
	token: string,
	input: SurveyAnswerInput
): Promise<void> {
	const answer = surveyAnswerSchema.parse(input);
	const claimed = readSurveyToken(token);
	if (!claimed) throw invalid();
	await retryingTransaction(db, async (tx) => {
		// The job locked first: of two answers sent at once, the second waits here and then
		// finds the first (openSurvey's "already answered").
		await tx
			.select({ id: jobs.id })
			.from(jobs)
			.where(and(eq(jobs.stationId, claimed.stationId), eq(jobs.id, claimed.jobId)))
			.for('no key update');
		const { claims } = await openSurvey(tx, token);
		const followUpId = randomUUID();
		const values = {
			satisfaction: answer.satisfaction,
			issueResolved: answer.issueResolved === 'yes',
			comment: answer.comment
		};
		await tx.insert(followUps).values({
			stationId: claims.stationId,
			id: followUpId,
			jobId: claims.jobId,
			userId: null,
			visitedAt: new Date(),
			// The customer answered on their own phone: no call, no visit.
			channel: 'other',
			source: 'survey',
			...values
		});
		await tx
			.insert(surveyAnswers)
			.values({ stationId: claims.stationId, jobId: claims.jobId, followUpId, ...values });
	});
}
