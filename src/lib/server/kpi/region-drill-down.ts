/**
 * The jobs behind a region's numbers (roles.md, "Read jobs: region (read only)" and "Read
 * scorecards, trends, drill-down: region"): a station of the region's technicians, one
 * technician's scorecard with the jobs behind each number, the jobs behind the station's own
 * figures, and one job's page, each exactly what
 * the station's supervisor reads. Every read goes through jobs/access.ts regionReaderOf, the one
 * statement of the region's scope: a station outside it is NOT_FOUND, and so is any job or
 * technician of it, without being looked up. Reads only: the reader's role changes nothing.
 */
import type { Database } from '../db';
import type { SessionUser } from '../auth/session-user';
import { regionReaderOf } from '../jobs/access';
import { getJobDetail, listJobHistory } from '../jobs/history';
import { getServiceReceipt } from '../jobs/receipt';
import { refusal } from '../refusal';
import { technicianSummary } from '../stations/service';
import type { KpiPeriod } from '../../shared/kpi';
import { stationDrillDown } from './station-drill-down';
import { technicianReport } from './technician-report';

function stationOf(reader: SessionUser) {
	return {
		id: reader.stationId,
		code: reader.stationCode,
		name: reader.stationName,
		timeZone: reader.timeZone
	};
}

/** The station's technicians (active, or with jobs), to open one's scorecard by its row. */
export async function regionStationTechnicians(
	db: Database,
	user: SessionUser,
	stationId: string
): Promise<{ id: string; login: string; name: string; active: boolean }[]> {
	const reader = await regionReaderOf(db, user, stationId);
	return (await technicianSummary(db, reader)).map(({ id, login, name, active }) => ({
		id,
		login,
		name,
		active
	}));
}

/**
 * One technician of a station of the region, for a period: what the supervisor's technician
 * page shows (technician-report.ts). A technician not of that station is NOT_FOUND.
 */
export async function regionTechnicianReport(
	db: Database,
	user: SessionUser,
	input: { stationId: string; technicianId: string } & KpiPeriod,
	now: Date = new Date()
) {
	const reader = await regionReaderOf(db, user, input.stationId);
	const report = await technicianReport(db, reader, input, now);
	if (!report) {
		throw refusal(
			'NOT_FOUND',
			`There is no technician ${input.technicianId} in station ${reader.stationCode}.`,
			'region_technician_unknown'
		);
	}
	return { station: stationOf(reader), ...report };
}

/** The jobs behind a station of the region's own figures, as its supervisor reads them. */
export async function regionStationDrillDown(
	db: Database,
	user: SessionUser,
	input: { stationId: string } & KpiPeriod
) {
	const reader = await regionReaderOf(db, user, input.stationId);
	const drillDown = await stationDrillDown(db, {
		stationId: reader.stationId,
		from: input.from,
		to: input.to
	});
	return { station: stationOf(reader), ...drillDown };
}

/**
 * One job of a station of the region, as the supervisor's job page shows it (the job with the
 * names behind its ids, its change history, the customer's signature), with no decision on it.
 * Where its steps happened stays the station's supervisors' (jobs/positions.ts).
 */
export async function regionJob(
	db: Database,
	user: SessionUser,
	input: { stationId: string; jobId: string }
) {
	const reader = await regionReaderOf(db, user, input.stationId);
	const [detail, history, receipt] = await Promise.all([
		getJobDetail(db, reader, input.jobId),
		listJobHistory(db, reader, input.jobId),
		getServiceReceipt(db, reader, input.jobId)
	]);
	return { station: stationOf(reader), detail, history, signature: receipt.signature };
}
