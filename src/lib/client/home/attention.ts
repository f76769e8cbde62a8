/**
 * Who needs the supervisor's attention on the station home, read off the scorecard's rows (the
 * scores and ranks come from SQL; this only picks rows): the lowest scores among the ranked
 * technicians, and the biggest score drops since the previous period. Only ranked rows count,
 * in both periods for a drop: a rank means enough completed jobs (min_jobs_for_ranking) and a
 * score, so a technician with two jobs is never singled out by chance.
 */
import type { ScorecardRow } from '$lib/shared/kpi';
import { SCORE_STYLE, shownValue } from '$lib/client/scorecard/kpi-display';

/** How many technicians each list names: a glance, not a second scorecard. */
const ATTENTION_COUNT = 3;

type RankedRow = ScorecardRow & { score: number; rank: number };

const isRanked = (row: ScorecardRow): row is RankedRow => row.rank !== null && row.score !== null;

const byLogin = (a: ScorecardRow, b: ScorecardRow) =>
	a.login < b.login ? -1 : a.login > b.login ? 1 : 0;

/** The ranked technicians with the lowest scores, lowest first. */
export function lowestScores(rows: readonly ScorecardRow[], count = ATTENTION_COUNT): RankedRow[] {
	return rows
		.filter(isRanked)
		.sort((a, b) => a.score - b.score || byLogin(a, b))
		.slice(0, count);
}

interface ScoreDrop {
	row: RankedRow;
	previousScore: number;
	/** Points lost, > 0. */
	drop: number;
}

/**
 * The technicians ranked in both periods whose score fell, the biggest fall first. A fall the
 * shown digits do not show (84.96 → 84.95 both read 85.0) is no fall.
 */
export function biggestDrops(
	rows: readonly ScorecardRow[],
	previousRows: readonly ScorecardRow[],
	count = ATTENTION_COUNT
): ScoreDrop[] {
	const previousByLogin = new Map(
		previousRows.filter(isRanked).map((row) => [row.login, row.score])
	);
	const drops: ScoreDrop[] = [];
	for (const row of rows.filter(isRanked)) {
		const previousScore = previousByLogin.get(row.login);
		if (previousScore === undefined) continue;
		if (shownValue(row.score, SCORE_STYLE) >= shownValue(previousScore, SCORE_STYLE)) continue;
		drops.push({ row, previousScore, drop: previousScore - row.score });
	}
	return drops.sort((a, b) => b.drop - a.drop || byLogin(a.row, b.row)).slice(0, count);
}
