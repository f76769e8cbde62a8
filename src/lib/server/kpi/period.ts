import { z } from 'zod';
import { kpiPeriodSchema, type KpiPeriod } from '../../shared/kpi';

export interface StationPeriod extends KpiPeriod {
	stationId: string;
}

const stationPeriodSchema = z.intersection(
	z.object({ stationId: z.uuid('stationId must be a UUID') }),
	kpiPeriodSchema
);

/**
 * Checks a station period before it reaches SQL, so a CLI or a script calling the engine gets
 * the same clear message as the API ("to: must be a date written YYYY-MM-DD") rather than a
 * Postgres cast error.
 */
export function parseStationPeriod(input: StationPeriod): StationPeriod {
	const result = stationPeriodSchema.safeParse(input);
	if (!result.success) {
		const problems = result.error.issues.map(
			(issue) => `${issue.path.join('.')}: ${issue.message}`
		);
		throw new Error(`Invalid KPI period: ${problems.join('; ')}`);
	}
	return result.data;
}
