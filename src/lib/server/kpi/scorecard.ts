/**
 * The technician scorecard of kpi.md, computed in one SQL statement: the one definition of the
 * KPI values, scores, grades and ranks (the trends use the same statement grouped by month;
 * reference.ts restates the rules in TypeScript only as the property test's oracle).
 *
 * Layout of the statement: the period's rows of job_kpi_daily (per technician and local day,
 * refreshed from the per-job facts of job-facts.ts) → `subject_kpis` (one GROUP BY per bucket
 * and subject, a technician or the whole station: counts, exact sums divided once,
 * percentile_cont median over the days' repair minutes, and each scored KPI's sample) →
 * `scoring_rules` (per bucket, the thresholds, weights and minimum samples of the kpi_settings
 * jsonb of the settings version in force on the bucket's last day, or today while it runs:
 * settings-in-force.ts) → `kpi_scores` (one score column per scored KPI, null below its minimum
 * sample) → `composite` (weighted mean, renormalised, rounded) → final SELECT with grade and, for
 * technicians, rank(). The station's row (stationKpiQuery) is scored by the same CTEs, and the
 * ground (sample, points and contribution of each KPI) comes as more columns of the scorecard's
 * own statement (computeScorecardWithGround), so the two never disagree and a read that shows
 * both computes the scorecard once. Every CTE is also keyed by station, so one statement scores
 * several stations side by side, each by its own settings (the region's comparison, kpi/region.ts);
 * a station's own scorecard is the same statement over one station.
 *
 * Ranking choices: ranks go to technicians with jobs_completed >= min_jobs_for_ranking AND a
 * score; a technician whose score is null (every scored KPI null) has nothing to be ranked by,
 * so gets rank null like one with too few jobs. Scores are rounded to SCORE_DECIMALS (half to
 * even) before grading and ranking so equal performances tie despite floating-point noise.
 * Rows are ordered by rank (nulls last), then login in byte order (COLLATE "C", the same on
 * every server whatever its locale).
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { SCORED_KPIS, type ScoredKpi } from '../../shared/domain';
import {
	GRADES,
	SCORE_DECIMALS,
	scorecardRowSchema,
	type Grade,
	type ScorecardRow
} from '../../shared/kpi';
import { DEFAULT_KPI_MINIMUMS } from '../../shared/kpi-settings';
import type { KpiGround, ScorecardGroundRow } from '../../shared/kpi-ground';
import { parseStationPeriod, type StationPeriod } from './period';
import { scoringDay, versionInForce } from './settings-in-force';

/** A KPI key as an SQL identifier; the keys are fixed snake_case constants. */
function column(kpi: ScoredKpi, suffix = ''): SQL {
	return sql.raw(`${kpi}${suffix}`);
}

/**
 * What each scored KPI's value rests on (docs/kpi-rules.md "Minimum samples"), as a sum over the
 * daily rows `d`: its denominator, the jobs, timed jobs or ratings counted.
 */
const KPI_SAMPLES: Record<ScoredKpi, SQL> = {
	repair_success_rate: sql`sum(d.success_jobs)`,
	avg_response_hours: sql`sum(d.response_count)`,
	duration_index: sql`sum(d.repair_count)`,
	csat: sql`sum(d.rated_count)`,
	follow_up_rate: sql`sum(d.jobs_completed)`,
	record_accuracy: sql`sum(d.accuracy_jobs)`,
	parts_cost_per_job: sql`sum(d.jobs_completed)`
};

/** Per scored KPI: its sample column, `<kpi>_sample`. */
function sampleColumns(): SQL {
	return sql.join(
		SCORED_KPIS.map(
			(kpi) => sql`
		${KPI_SAMPLES[kpi]}::int AS ${column(kpi, '_sample')}`
		),
		sql`,`
	);
}

/**
 * Per scored KPI: pass, excellent, weight and minimum sample columns, read from kpi_settings.
 * Settings stored before minimums existed (or naming only some) use the default minimums.
 */
function scoringRuleColumns(): SQL {
	return sql.join(
		SCORED_KPIS.map(
			(kpi) => sql`
		(s.kpi_settings #>> ${`{thresholds,${kpi},pass}`})::float8 AS ${column(kpi, '_pass')},
		(s.kpi_settings #>> ${`{thresholds,${kpi},excellent}`})::float8 AS ${column(kpi, '_excellent')},
		coalesce((s.kpi_settings #>> ${`{weights,${kpi}}`})::float8, 0) AS ${column(kpi, '_weight')},
		coalesce((s.kpi_settings #>> ${`{minimums,${kpi}}`})::int, ${DEFAULT_KPI_MINIMUMS[kpi]}::int)
			AS ${column(kpi, '_minimum')}`
		),
		sql`,`
	);
}

/**
 * Per scored KPI: its score, null when the KPI is not scored (weight 0, no thresholds, pass =
 * excellent, no value, or a sample below its minimum: "too few"). reference.ts's kpiScore()
 * restates it for the property test. The value is tested for null explicitly because
 * greatest()/least() skip null arguments.
 */
function kpiScoreColumns(): SQL {
	return sql.join(
		SCORED_KPIS.map((kpi) => {
			const value = sql`k.${column(kpi)}`;
			const pass = sql`r.${column(kpi, '_pass')}`;
			const excellent = sql`r.${column(kpi, '_excellent')}`;
			return sql`
		CASE WHEN ${value} IS NOT NULL AND r.${column(kpi, '_weight')} > 0 AND ${excellent} <> ${pass}
				AND k.${column(kpi, '_sample')} >= r.${column(kpi, '_minimum')}
			THEN greatest(0, least(100, 60 + 40 * (${value} - ${pass}) / (${excellent} - ${pass})))
		END AS ${column(kpi, '_score')}`;
		}),
		sql`,`
	);
}

/**
 * The composite: Σ weight·score / Σ weight over the scored KPIs, added in SCORED_KPIS order
 * (unscored ones add an exact 0), the order reference.ts's compositeScore() follows too. The
 * CTE `composite` keeps the denominator as `scored_weight` for each KPI's contribution.
 */
function scoredWeightExpression(): SQL {
	return sql.join(
		SCORED_KPIS.map(
			(kpi) =>
				sql`CASE WHEN ks.${column(kpi, '_score')} IS NOT NULL THEN r.${column(kpi, '_weight')} ELSE 0 END`
		),
		sql` + `
	);
}

function compositeScoreExpression(): SQL {
	const weighted = sql.join(
		SCORED_KPIS.map(
			(kpi) => sql`coalesce(r.${column(kpi, '_weight')} * ks.${column(kpi, '_score')}, 0)`
		),
		sql` + `
	);
	const scale = sql.raw(`1e${SCORE_DECIMALS}::float8`);
	return sql`round((${weighted}) / nullif(${scoredWeightExpression()}, 0) * ${scale}) / ${scale}`;
}

/**
 * The stations a statement scores and the local dates [from, to) it covers; every station's
 * dates are read in its own time zone by the facts, so one range serves them all.
 */
export interface StationsPeriod {
	stationIds: readonly string[];
	from: string;
	to: string;
}

function oneStation(period: StationPeriod): StationsPeriod {
	return { stationIds: [period.stationId], from: period.from, to: period.to };
}

/**
 * Where a statement reads its rows and how it finds their medians. `rows()`: a FROM item aliased
 * `d` with job_kpi_daily's counters, its stations and `day`, the first local date a row covers;
 * `medians`: the CTE body giving `median_repair_minutes` per station, bucket and subject from
 * `period_days`, or null where the caller shows no median (the column is null). The daily rows
 * serve any period; kpi/monthly-rollup.ts's monthly rows serve whole months.
 */
export interface KpiRollup {
	rows: () => SQL;
	medians: ((period: StationsPeriod, bucketOfDay: ScorecardBucket) => SQL) | null;
}

/** The daily rows, each day's repair minutes kept sorted: every median over them. */
export const DAILY_ROLLUP: KpiRollup = {
	rows: () => sql`job_kpi_daily d`,
	medians: () => sql`
	SELECT
		d.station_id,
		d.bucket,
		d.subject_id,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY m.minutes) AS median_repair_minutes
	FROM period_days d
	CROSS JOIN LATERAL unnest(d.repair_minutes) AS m(minutes)
	GROUP BY d.station_id, d.bucket, d.subject_id`
};

/** `d.station_id IN (…)`: the daily rows of the statement's stations. */
function stationsCondition(stationIds: readonly string[]): SQL {
	if (stationIds.length === 0) return sql`false`;
	return sql`d.station_id IN (${sql.join(
		stationIds.map((id) => sql`${id}::uuid`),
		sql`, `
	)})`;
}

/**
 * How the rows are grouped besides by technician: `key`, an expression over a daily row `d`,
 * gives one scorecard per distinct value, each scored and ranked on its own; `lastDay`, an
 * expression over a bucket's key `b.bucket`, the last local date it covers (clipped to the
 * period's), whose settings version scores it.
 */
export interface ScorecardBucket {
	key: SQL;
	lastDay: SQL;
}
/** The whole period is one scorecard. */
export const WHOLE_PERIOD: ScorecardBucket = { key: sql`''`, lastDay: sql`'infinity'::date` };

/**
 * Whose numbers a row holds, as an expression over a daily row `d`: each technician's, or the
 * station's, every job of the period pooled as if one technician had done them all (the
 * station home's tiles). station_id is constant over a station's rows and never null, so both
 * group and join alike.
 */
type ScorecardSubject = SQL;
const EACH_TECHNICIAN: ScorecardSubject = sql`d.technician_id`;
const WHOLE_STATION: ScorecardSubject = sql`d.station_id`;

/**
 * The statement's CTEs up to `composite`: per station, bucket and subject, every KPI value, the
 * station's scoring rules and the composite score. The statements below add their SELECT.
 */
function scoredKpis(
	period: StationsPeriod,
	bucketOfDay: ScorecardBucket,
	subjectOfDay: ScorecardSubject,
	rollup: KpiRollup
): SQL {
	return sql`
WITH period_days AS (
	SELECT ${bucketOfDay.key} AS bucket, ${subjectOfDay} AS subject_id, d.*
	FROM ${rollup.rows()}
	WHERE ${stationsCondition(period.stationIds)}
		AND d.day >= ${period.from}::date
		AND d.day < ${period.to}::date
),
${
	rollup.medians
		? sql`-- MATERIALIZED: computed once, whatever the planner guesses of a rollup it has no statistics
-- for (a fresh station, or PGlite, which has no autovacuum).
repair_medians AS MATERIALIZED (${rollup.medians(period, bucketOfDay)}),`
		: sql``
}
subject_kpis AS (
	SELECT
		d.station_id,
		d.bucket,
		d.subject_id,
		sum(d.jobs_completed) AS jobs_completed,
		sum(d.successes)::float8 / nullif(sum(d.success_jobs), 0) AS repair_success_rate,
		sum(d.repair_seconds_sum) / nullif(sum(d.repair_count), 0) / 60 AS avg_repair_minutes,
		CASE WHEN sum(d.repair_count) > 0
			THEN sum(d.repair_seconds_sum) / (60 * sum(d.timed_standard_minutes))
		END AS duration_index,
		sum(d.response_seconds_sum) / nullif(sum(d.response_count), 0) / 3600
			AS avg_response_hours,
		sum(d.parts_cost_sum) AS parts_cost_total,
		sum(d.parts_cost_sum) / sum(d.jobs_completed) AS parts_cost_per_job,
		sum(d.satisfied_count)::float8 / nullif(sum(d.rated_count), 0) AS csat,
		sum(d.rated_sum)::numeric / nullif(sum(d.rated_count), 0) AS avg_satisfaction,
		sum(d.followed_up_count)::float8 / sum(d.jobs_completed) AS follow_up_rate,
		sum(d.accurate_count)::float8 / nullif(sum(d.accuracy_jobs), 0) AS record_accuracy,
		${sampleColumns()}
	FROM period_days d
	GROUP BY d.station_id, d.bucket, d.subject_id
),
kpi_values AS MATERIALIZED (
	SELECT
		sk.station_id,
		sk.bucket,
		sk.subject_id,
		sk.jobs_completed::int AS jobs_completed,
		sk.repair_success_rate,
		sk.avg_repair_minutes::float8 AS avg_repair_minutes,
		${rollup.medians ? sql`rm.median_repair_minutes` : sql`NULL::float8`} AS median_repair_minutes,
		sk.duration_index::float8 AS duration_index,
		sk.avg_response_hours::float8 AS avg_response_hours,
		sk.parts_cost_total::float8 AS parts_cost_total,
		sk.parts_cost_per_job::float8 AS parts_cost_per_job,
		sk.csat,
		sk.avg_satisfaction::float8 AS avg_satisfaction,
		sk.follow_up_rate,
		sk.record_accuracy,
		${sql.join(
			SCORED_KPIS.map((kpi) => sql`sk.${column(kpi, '_sample')}`),
			sql`, `
		)}
	FROM subject_kpis sk
	${
		rollup.medians
			? sql`LEFT JOIN repair_medians rm
		ON rm.station_id = sk.station_id AND rm.bucket = sk.bucket AND rm.subject_id = sk.subject_id`
			: sql``
	}
),
-- Each station's rules per bucket: its settings version in force on the bucket's last day (or
-- today while it runs), so a change effective later never rescores an ended period.
scoring_rules AS (
	SELECT b.station_id, b.bucket, s.min_jobs_for_ranking, ${scoringRuleColumns()}
	FROM (SELECT DISTINCT station_id, bucket FROM kpi_values) b
	CROSS JOIN LATERAL ${versionInForce(
		sql`b.station_id`,
		scoringDay(sql`b.station_id`, sql`least(${period.to}::date - 1, ${bucketOfDay.lastDay})`)
	)} s
),
kpi_scores AS (
	SELECT k.station_id, k.bucket, k.subject_id, ${kpiScoreColumns()}
	FROM kpi_values k
	JOIN scoring_rules r ON r.station_id = k.station_id AND r.bucket = k.bucket
),
composite AS (
	SELECT
		k.*,
		${compositeScoreExpression()} AS score,
		${scoredWeightExpression()} AS scored_weight,
		${sql.join(
			SCORED_KPIS.map((kpi) => sql`ks.${column(kpi, '_score')}`),
			sql`, `
		)},
		r.min_jobs_for_ranking
	FROM kpi_values k
	JOIN kpi_scores ks
		ON ks.station_id = k.station_id AND ks.bucket = k.bucket AND ks.subject_id = k.subject_id
	JOIN scoring_rules r ON r.station_id = k.station_id AND r.bucket = k.bucket
)`;
}

/** kpi.md's grade of a composite score. */
function gradeExpression(score: SQL): SQL {
	return sql`CASE
		WHEN ${score} >= 90 THEN 'excellent'
		WHEN ${score} >= 60 THEN 'pass'
		WHEN ${score} IS NOT NULL THEN 'fail'
	END`;
}

/** The KPI columns of kpi.md's output row, from a CTE row `c`, in the contract's order. */
const KPI_VALUE_COLUMNS = sql`
	c.jobs_completed,
	c.repair_success_rate,
	c.avg_repair_minutes,
	c.median_repair_minutes,
	c.duration_index,
	c.avg_response_hours,
	c.parts_cost_total,
	c.parts_cost_per_job,
	c.csat,
	c.avg_satisfaction,
	c.follow_up_rate,
	c.record_accuracy`;

/**
 * Columns a statement adds to each technician's row, over the row `c` and, when `readsRules`,
 * the station's scoring rules `r` (joined only then: the planner, which cannot estimate the
 * CTEs, loops over the rules once per technician, ~60 ms at 5,000 technicians).
 */
interface ExtraColumns {
	columns: SQL;
	readsRules: boolean;
}

/**
 * Each technician's row of every station and bucket of the period, ordered by station, bucket,
 * rank within the station (nulls last), then login: kpi.md's output row plus `bucket` and the
 * given columns over the row `c` and the station's scoring rules `r`.
 */
function technicianRows(
	period: StationsPeriod,
	bucketOfDay: ScorecardBucket,
	extra: ExtraColumns | null,
	rollup: KpiRollup = DAILY_ROLLUP
): SQL {
	return sql`${scoredKpis(period, bucketOfDay, EACH_TECHNICIAN, rollup)},
ranked AS (
	SELECT
		c.*,
		c.score IS NOT NULL AND c.jobs_completed >= c.min_jobs_for_ranking AS rankable
	FROM composite c
)
SELECT
	c.bucket,
	u.login,
	u.name,
	${KPI_VALUE_COLUMNS},
	c.score,
	${gradeExpression(sql`c.score`)} AS grade,
	CASE WHEN c.rankable
		THEN (rank() OVER (PARTITION BY c.station_id, c.bucket, c.rankable ORDER BY c.score DESC))::int
	END AS rank${extra ? sql`,${extra.columns}` : sql``}
FROM ranked c
JOIN users u ON u.station_id = c.station_id AND u.id = c.subject_id
${extra?.readsRules ? sql`JOIN scoring_rules r ON r.station_id = c.station_id AND r.bucket = c.bucket` : sql``}
ORDER BY c.station_id, c.bucket, rank NULLS LAST, u.login COLLATE "C"`;
}

/**
 * The scorecard of every bucket of the period: kpi.md's output row plus `bucket`, ordered by
 * bucket, rank (nulls last), then login. Reads the facts as refreshed so far (fact-refresh.ts).
 */
export function scorecardQuery(period: StationPeriod, bucketOfDay: ScorecardBucket): SQL {
	return technicianRows(oneStation(period), bucketOfDay, null);
}

/**
 * Every technician of several stations, each station scored and ranked by its own settings
 * exactly as its own scorecard (scorecardQuery) scores it: kpi.md's output row plus
 * `station_id`, `subject_id` (the technician), `bucket` and `rankable` (a score and the
 * station's min_jobs_for_ranking jobs), from the rows of `rollup`. Reads the facts as the writes
 * and the background refresh left them (kpi/fact-refresh.ts).
 */
export function stationsScorecardQuery(
	period: StationsPeriod,
	bucketOfDay: ScorecardBucket,
	rollup: KpiRollup = DAILY_ROLLUP
): SQL {
	return technicianRows(
		period,
		bucketOfDay,
		{
			columns: sql`c.station_id::text AS station_id, c.subject_id, c.rankable`,
			readsRules: false
		},
		rollup
	);
}

/**
 * Per scored KPI, what its value rests on: `<kpi>_sample`, `_minimum`, `_points` (its score,
 * null when not scored), `_weight` and `_contribution` (points × weight / the weights of the
 * scored KPIs: the contributions add up to the unrounded score).
 */
function groundColumns(): SQL {
	return sql.join(
		SCORED_KPIS.map(
			(kpi) => sql`
	c.${column(kpi, '_sample')},
	r.${column(kpi, '_minimum')},
	c.${column(kpi, '_score')} AS ${column(kpi, '_points')},
	r.${column(kpi, '_weight')},
	c.${column(kpi, '_score')} * r.${column(kpi, '_weight')} / nullif(c.scored_weight, 0)
		AS ${column(kpi, '_contribution')}`
		),
		sql`,`
	);
}

/**
 * The station's own row for every bucket with a completed job: the same KPIs, score and grade
 * over all of the bucket's jobs pooled (not a mean of the technicians' values), without login,
 * name or rank; ordered by bucket. Reads the facts as refreshed so far (fact-refresh.ts).
 */
export function stationKpiQuery(period: StationPeriod, bucketOfDay: ScorecardBucket): SQL {
	return stationsKpiQuery(oneStation(period), bucketOfDay);
}

/**
 * The row of each of several stations for every bucket with a completed job, each scored by its
 * own settings (stationKpiQuery's row per station, plus `station_id`), from the rows of `rollup`;
 * ordered by station, then bucket. Reads the facts as they are (kpi/fact-refresh.ts keeps them
 * fresh).
 */
export function stationsKpiQuery(
	period: StationsPeriod,
	bucketOfDay: ScorecardBucket,
	rollup: KpiRollup = DAILY_ROLLUP
): SQL {
	return sql`${scoredKpis(period, bucketOfDay, WHOLE_STATION, rollup)}
SELECT
	c.station_id::text AS station_id,
	c.bucket,
	${KPI_VALUE_COLUMNS},
	c.score,
	${gradeExpression(sql`c.score`)} AS grade
FROM composite c
ORDER BY c.station_id, c.bucket`;
}

export async function computeScorecard(
	db: Queryable,
	input: StationPeriod
): Promise<ScorecardRow[]> {
	const period = parseStationPeriod(input);
	const rows = await queryRows<ScorecardRow>(db, scorecardQuery(period, WHOLE_PERIOD));
	// Parsing drops the bucket column.
	return rows.map((row) => scorecardRowSchema.parse(row));
}

/** The tRPC answer's shape of a ScorecardGroundRow (shared/kpi-ground.ts). */
export const scorecardGroundRowSchema = z.object({
	login: z.string(),
	name: z.string(),
	jobs_completed: z.number().int(),
	score: z.number().nullable(),
	grade: z.enum(GRADES).nullable(),
	rank: z.number().int().nullable(),
	kpis: z.array(
		z.object({
			kpi: z.enum(SCORED_KPIS),
			value: z.number().nullable(),
			sample: z.number().int(),
			minimum: z.number().int(),
			tooFew: z.boolean(),
			points: z.number().nullable(),
			weight: z.number(),
			contribution: z.number().nullable()
		})
	)
}) satisfies z.ZodType<ScorecardGroundRow>;

/** A period's scorecard rows and what each of their numbers rests on, in the same order. */
export interface ScorecardWithGround {
	rows: ScorecardRow[];
	ground: ScorecardGroundRow[];
}

type GroundQueryRow = ScorecardRow & Record<string, unknown>;

function groundOf(row: GroundQueryRow, kpi: ScoredKpi): KpiGround {
	const sample = row[`${kpi}_sample`] as number;
	const minimum = row[`${kpi}_minimum`] as number;
	return {
		kpi,
		value: row[kpi],
		sample,
		minimum,
		tooFew: sample < minimum,
		points: row[`${kpi}_points`] as number | null,
		weight: row[`${kpi}_weight`] as number,
		contribution: row[`${kpi}_contribution`] as number | null
	};
}

function groundRowOf(row: GroundQueryRow): ScorecardGroundRow {
	return {
		login: row.login,
		name: row.name,
		jobs_completed: row.jobs_completed,
		score: row.score,
		grade: row.grade as Grade | null,
		rank: row.rank,
		kpis: SCORED_KPIS.map((kpi) => groundOf(row, kpi))
	};
}

/**
 * The scorecard of the period and what each technician's numbers rest on (each scored KPI's
 * sample, minimum, points, weight and contribution), from one run of the scorecard's statement
 * with the ground columns added: the rows are exactly computeScorecard's, for a caller that
 * needs both.
 */
export async function computeScorecardWithGround(
	db: Queryable,
	input: StationPeriod
): Promise<ScorecardWithGround> {
	const period = parseStationPeriod(input);
	const rows = await queryRows<GroundQueryRow>(
		db,
		technicianRows(oneStation(period), WHOLE_PERIOD, { columns: groundColumns(), readsRules: true })
	);
	return {
		// Parsing drops the bucket and ground columns.
		rows: rows.map((row) => scorecardRowSchema.parse(row)),
		ground: rows.map(groundRowOf)
	};
}
