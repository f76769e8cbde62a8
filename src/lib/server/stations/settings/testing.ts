/**
 * What the settings tests share: a database per suite, a fresh station per test, and the
 * settings router as a given user (the tests go through tRPC, as the page does).
 */
import { and, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { settingsAudit, stations } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import type { TestEngine } from '../../testing/databases';
import { createStation, createUser } from '../../testing/fixtures';
import { SCORED_KPIS, type KpiSettings, type ScoredKpi } from '../../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../../shared/kpi-settings';
import { createCallerFactory } from '../../trpc/core';
import { settingsRouter } from '../../trpc/routers/settings';
import type { KpiSettingsInput } from './kpi-rules';
import { VERSION_SUBJECT } from './versions';

const createCaller = createCallerFactory(settingsRouter);

/** The stored settings as a form would send them back: every KPI with its rule. */
export function asInput(settings: KpiSettings): KpiSettingsInput {
	return {
		thresholds: Object.fromEntries(
			SCORED_KPIS.map((kpi) => [kpi, settings.thresholds[kpi] ?? null])
		) as KpiSettingsInput['thresholds'],
		weights: { ...settings.weights },
		minimums: { ...settings.minimums }
	};
}

export function withRule(
	kpi: ScoredKpi,
	rule: { pass?: number | null; excellent?: number | null; weight?: number },
	base: KpiSettings = DEFAULT_KPI_SETTINGS
): KpiSettingsInput {
	const input = asInput(base);
	const threshold = input.thresholds[kpi] ?? { pass: null, excellent: null };
	input.thresholds[kpi] = {
		pass: rule.pass === undefined ? threshold.pass : rule.pass,
		excellent: rule.excellent === undefined ? threshold.excellent : rule.excellent
	};
	if (rule.weight !== undefined) input.weights[kpi] = rule.weight;
	return input;
}

/** Weights only for the given KPIs (relative values), every other KPI 0. */
export function onlyWeights(weights: Partial<Record<ScoredKpi, number>>): KpiSettingsInput {
	const input = asInput(DEFAULT_KPI_SETTINGS);
	for (const kpi of SCORED_KPIS) input.weights[kpi] = weights[kpi] ?? 0;
	return input;
}

/**
 * Rejects with BAD_REQUEST (or the given code) and an issue at `path` with that problem, whether
 * the input schema found it (the zod error is the cause) or the service did (a refusal whose
 * cause is the zod error).
 */
export async function expectProblem(
	promise: Promise<unknown>,
	path: string,
	problem: string,
	code = 'BAD_REQUEST',
	params: Record<string, unknown> = {}
) {
	const error = await promise.then(
		() => {
			throw new Error(`expected ${problem} at ${path}, but the call succeeded`);
		},
		(caught: unknown) => caught
	);
	expect(error).toMatchObject({ code });
	type Issues = { issues?: { path: PropertyKey[]; params?: object }[] };
	const cause = (error as { cause?: Issues & { cause?: Issues } }).cause;
	const issues = cause?.issues ?? cause?.cause?.issues;
	expect(issues?.map((issue) => [issue.path.join('.'), issue.params])).toContainEqual([
		path,
		expect.objectContaining({ problem, ...params })
	]);
}

/** Opens the engine's database for the suite; each test takes a station of its own. */
export function settingsTestBed(engine: TestEngine) {
	let handle: DatabaseHandle;
	let stationCount = 0;
	beforeAll(async () => {
		handle = await engine.open();
	});
	afterAll(async () => {
		await handle?.close();
	});
	const bed = {
		get db(): Database {
			return handle.db;
		},
		as: (user: SessionUser | null) => createCaller({ db: handle.db, user }),
		/** A station of its own per test, with a supervisor and a technician. */
		async freshStation() {
			stationCount += 1;
			const station = await createStation(handle.db, `S${stationCount}`);
			return {
				station,
				supervisor: await createUser(handle.db, station, 'boss', 'supervisor'),
				technician: await createUser(handle.db, station, 'tech', 'technician')
			};
		},
		/** The audit rows of the changes themselves; versions.test.ts checks each version's row. */
		auditRows: (stationId: string) =>
			handle.db
				.select()
				.from(settingsAudit)
				.where(
					and(eq(settingsAudit.stationId, stationId), ne(settingsAudit.subject, VERSION_SUBJECT))
				)
				.orderBy(settingsAudit.subject),
		async storedStation(stationId: string) {
			const [row] = await handle.db.select().from(stations).where(eq(stations.id, stationId));
			return row;
		}
	};
	return bed;
}
