/**
 * The jobs behind a scorecard's numbers as a supervisor reads them: each job's KPI facts
 * (job-facts.ts) with the customer and the report time, which identify the visit.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { jobs } from '../db/schema';
import { jobFactSchema } from '../../shared/kpi';
import { jobFacts, type JobFactsScope } from './job-facts';
import { parseStationPeriod } from './period';

export const drillDownJobSchema = zm.extend(jobFactSchema, {
	customer_name: z.string(),
	/** ISO 8601 in UTC. */
	reported_at: z.string()
});
export type DrillDownJob = z.infer<typeof drillDownJobSchema>;

export async function drillDownJobs(db: Queryable, scope: JobFactsScope): Promise<DrillDownJob[]> {
	const { stationId } = parseStationPeriod(scope);
	const facts = await jobFacts(db, scope);
	if (facts.length === 0) return [];
	const identities = await db
		.select({ id: jobs.id, customerName: jobs.customerName, reportedAt: jobs.reportedAt })
		.from(jobs)
		.where(
			and(
				eq(jobs.stationId, stationId),
				inArray(
					jobs.id,
					facts.map((fact) => fact.job_id)
				)
			)
		);
	const byId = new Map(identities.map((job) => [job.id, job]));
	return facts.map((fact) => {
		const job = byId.get(fact.job_id);
		if (!job) throw new Error(`Job ${fact.job_no} vanished while its facts were read`);
		return {
			...fact,
			customer_name: job.customerName,
			reported_at: job.reportedAt.toISOString()
		};
	});
}
