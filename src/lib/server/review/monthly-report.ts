/**
 * The monthly report of a station (issue 13 item 6): the month's scorecard, what each of its
 * numbers rests on, and per technician the jobs behind their failures and flags. Supervisors
 * only, always their own station (roles.md "Read scorecards"). The print page, the PDF and the
 * .xlsx are renderings of this one object.
 */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import type { SessionUser } from '../auth/session-user';
import { requireSupervisor } from '../jobs/access';
import { jobFacts } from '../kpi/job-facts';
import { stationScoring } from '../kpi/trends';
import { scorecardOfPeriod } from '../kpi/closed-periods';
import { scorecardGroundRowSchema, type ScorecardWithGround } from '../kpi/scorecard';
import type { StationPeriod } from '../kpi/period';
import { jobFactSchema, scorecardRowSchema, type JobFact } from '../../shared/kpi';
import { kpiSettingsSchema } from '../../shared/kpi-settings';
import { REPORT_MONTH, type MonthlyReport, type ReportJob } from '../../shared/monthly-report';
import { parsePeriodKey } from '../../shared/time/periods';

export const reportMonthInputSchema = z.object({
	month: z.string().regex(REPORT_MONTH, 'month must be written YYYY-MM')
});

const reportJobSchema = zm.pick(jobFactSchema, {
	job_no: true,
	completed_at: true,
	success: true,
	failure_reasons: true,
	reworked_by: true,
	flags: true,
	accepted_flags: true,
	excluded_kpis: true,
	latest_satisfaction: true
});

export const monthlyReportSchema = z.object({
	station: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }),
	month: z.string().regex(REPORT_MONTH),
	period: z.object({ from: z.string(), to: z.string() }),
	printedAt: z.string(),
	scoring: z.object({ kpiSettings: kpiSettingsSchema, minJobsForRanking: z.number().int() }),
	technicians: z.array(
		z.object({
			row: scorecardRowSchema,
			kpis: scorecardGroundRowSchema.shape.kpis,
			jobs: z.array(reportJobSchema)
		})
	)
}) satisfies z.ZodType<MonthlyReport>;

/**
 * The scorecard the report shows and what its numbers rest on, computed once: a closed month's
 * frozen ones (kpi/closed-periods.ts).
 */
function reportScorecard(db: Queryable, period: StationPeriod): Promise<ScorecardWithGround> {
	return scorecardOfPeriod(db, period.stationId, period);
}

/** A job that explains a number: it failed, is flagged, had a flag accepted or was excluded. */
function behindTheNumbers(fact: JobFact): boolean {
	return (
		fact.failure_reasons.length > 0 ||
		fact.flags.length > 0 ||
		fact.accepted_flags.length > 0 ||
		fact.excluded_kpis.length > 0
	);
}

function reportJob(fact: JobFact): ReportJob {
	return reportJobSchema.parse(fact);
}

/**
 * The report of one month of the supervisor's station. `printedAt` is the moment it is made
 * (the server's clock; a parameter so tests can fix it).
 */
export async function monthlyReport(
	db: Queryable,
	user: SessionUser,
	month: string,
	printedAt: Date = new Date()
): Promise<MonthlyReport> {
	requireSupervisor(user, 'read the monthly report');
	const { month: key } = reportMonthInputSchema.parse({ month });
	const calendarMonth = parsePeriodKey(key);
	// REPORT_MONTH admits only months parsePeriodKey knows.
	if (!calendarMonth) throw new Error(`Not a month: ${key}`);
	const period: StationPeriod = {
		stationId: user.stationId,
		from: calendarMonth.from,
		to: calendarMonth.to
	};
	const { rows, ground } = await reportScorecard(db, period);
	const facts = await jobFacts(db, period);
	const scoring = await stationScoring(db, user.stationId, period);
	const factsByLogin = new Map<string, JobFact[]>();
	for (const fact of facts) {
		const own = factsByLogin.get(fact.technician_login) ?? [];
		own.push(fact);
		factsByLogin.set(fact.technician_login, own);
	}
	return {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		month: key,
		period: { from: period.from, to: period.to },
		printedAt: printedAt.toISOString(),
		scoring,
		technicians: rows.map((row) => {
			const own = factsByLogin.get(row.login) ?? [];
			return {
				row,
				// The scorecard's ground as it is: the breakdown shows every field (ReportKpi).
				kpis: ground.find((grounds) => grounds.login === row.login)?.kpis ?? [],
				jobs: own.filter(behindTheNumbers).map(reportJob)
			};
		})
	};
}
