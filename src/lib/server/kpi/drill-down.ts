/**
 * The jobs behind a scorecard's numbers as a supervisor reads them: each job's KPI facts
 * (job-facts.ts) with the customer and the report time, which identify the visit, and the KPIs
 * an accepted appeal took it out of, each with the supervisor's reason (review/appeals.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { jobKpiExclusions, jobs } from '../db/schema';
import { jobFactSchema, type JobFact } from '../../shared/kpi';
import { kpiExclusionSchema, type KpiExclusion } from '../../shared/appeal-schemas';
import { jobFacts, type JobFactsScope } from './job-facts';
import { parseStationPeriod } from './period';

export const drillDownJobSchema = zm.extend(jobFactSchema, {
	customer_name: z.string(),
	/** ISO 8601 in UTC. */
	reported_at: z.string(),
	exclusions: z.array(kpiExclusionSchema)
});
export type DrillDownJob = z.infer<typeof drillDownJobSchema>;

export async function drillDownJobs(db: Queryable, scope: JobFactsScope): Promise<DrillDownJob[]> {
	const { stationId } = parseStationPeriod(scope);
	return identifiedJobs(db, stationId, await jobFacts(db, scope));
}

/** Facts of a station's jobs with each job's customer, report time and accepted exclusions. */
export async function identifiedJobs(
	db: Queryable,
	stationId: string,
	facts: JobFact[]
): Promise<DrillDownJob[]> {
	if (facts.length === 0) return [];
	const ids = [...new Set(facts.map((fact) => fact.job_id))];
	const excluded = [
		...new Set(facts.filter((fact) => fact.excluded_kpis.length > 0).map((fact) => fact.job_id))
	];
	const [identities, exclusions] = await Promise.all([
		db
			.select({ id: jobs.id, customerName: jobs.customerName, reportedAt: jobs.reportedAt })
			.from(jobs)
			.where(and(eq(jobs.stationId, stationId), inArray(jobs.id, ids))),
		excluded.length === 0
			? []
			: db
					.select({
						jobId: jobKpiExclusions.jobId,
						kpi: jobKpiExclusions.kpi,
						reason: jobKpiExclusions.reason
					})
					.from(jobKpiExclusions)
					.where(
						and(
							eq(jobKpiExclusions.stationId, stationId),
							inArray(jobKpiExclusions.jobId, excluded)
						)
					)
					.orderBy(jobKpiExclusions.kpi)
	]);
	const byId = new Map(identities.map((job) => [job.id, job]));
	const exclusionsOf = new Map<string, KpiExclusion[]>();
	for (const { jobId, ...exclusion } of exclusions) {
		exclusionsOf.set(jobId, [...(exclusionsOf.get(jobId) ?? []), exclusion]);
	}
	return facts.map((fact) => {
		const job = byId.get(fact.job_id);
		if (!job) throw new Error(`Job ${fact.job_no} vanished while its facts were read`);
		return {
			...fact,
			customer_name: job.customerName,
			reported_at: job.reportedAt.toISOString(),
			exclusions: exclusionsOf.get(fact.job_id) ?? []
		};
	});
}
