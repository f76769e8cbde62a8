/**
 * A job's service receipt (服务单, issue 14; shape in shared/service-receipt.ts), read in one
 * statement: the job with its station, technician and category, its part lines priced in SQL
 * (numeric, so a total is never a float's), its times as the station's wall clock, and the
 * customer's signature when there is one. Who may read it is jobs/access.ts's visibleJobCondition,
 * inside the same statement: a technician their own jobs, the desk, supervisors and station
 * administrators their station's; any other job is NOT_FOUND, as everywhere.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusal } from '../refusal';
import type { ServiceReceipt } from '../../shared/service-receipt';
import type { SignatureStrokes } from '../../shared/signature';
import { visibleJobCondition } from './access';

interface ReceiptRow extends Omit<ServiceReceipt, 'signature'> {
	signerName: string | null;
	/** Raw SQL hands a timestamptz over as text on both drivers. */
	signedAt: string | null;
	signedAtClock: string | null;
	strokes: SignatureStrokes | null;
}

export async function getServiceReceipt(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<ServiceReceipt> {
	// The station's wall clock, to the minute, as the job page shows times.
	const clock = (column: string) =>
		sql.raw(`to_char(${column} AT TIME ZONE s.time_zone, 'YYYY-MM-DD HH24:MI')`);
	const [row] = await queryRows<ReceiptRow>(
		db,
		sql`SELECT jobs.id::text AS "jobId", jobs.job_no AS "jobNo",
				json_build_object('name', s.name, 'timeZone', s.time_zone) AS station,
				jobs.status::text AS status, jobs.outcome::text AS outcome,
				json_build_object('name', jobs.customer_name, 'phone', jobs.customer_phone,
					'address', jobs.customer_address) AS customer,
				json_build_object('model', jobs.product_model, 'serial', jobs.device_serial) AS device,
				json_build_object('category', fc.name, 'description', jobs.fault_description) AS fault,
				jobs.notes, t.name AS "technicianName",
				json_build_object('reported', ${clock('jobs.reported_at')},
					'arrived', ${clock('jobs.arrived_at')}, 'started', ${clock('jobs.started_at')},
					'completed', ${clock('jobs.completed_at')}) AS times,
				COALESCE(lines.parts, '[]'::json) AS parts,
				COALESCE(lines.total, 0)::numeric(12, 2)::text AS "partsTotal",
				sg.signer_name AS "signerName", sg.signed_at AS "signedAt",
				${clock('sg.signed_at')} AS "signedAtClock", sg.strokes
			FROM ${jobs}
			JOIN stations s ON s.id = jobs.station_id
			LEFT JOIN users t ON t.station_id = jobs.station_id AND t.id = jobs.technician_id
			LEFT JOIN fault_categories fc
				ON fc.station_id = jobs.station_id AND fc.id = jobs.fault_category_id
			LEFT JOIN job_signatures sg ON sg.station_id = jobs.station_id AND sg.job_id = jobs.id
			LEFT JOIN LATERAL (
				SELECT json_agg(json_build_object('name', p.name, 'sku', p.sku, 'unit', p.unit,
						'qty', trim_scale(jp.qty)::text, 'unitPrice', jp.unit_cost::text,
						'lineTotal', round(jp.qty * jp.unit_cost, 2)::numeric(12, 2)::text)
						ORDER BY jp.created_at, p.name, jp.id) AS parts,
					sum(round(jp.qty * jp.unit_cost, 2)) AS total
				FROM job_parts jp
				JOIN parts p ON p.station_id = jp.station_id AND p.id = jp.part_id
				WHERE jp.station_id = jobs.station_id AND jp.job_id = jobs.id
			) lines ON true
			WHERE ${and(eq(jobs.stationId, user.stationId), eq(jobs.id, jobId), visibleJobCondition(user))}`
	);
	if (!row) throw refusal('NOT_FOUND', `Job ${jobId} was not found.`, 'job_not_found');
	const { signerName, signedAt, signedAtClock, strokes, ...receipt } = row;
	return {
		...receipt,
		signature:
			signerName === null || signedAt === null || signedAtClock === null || strokes === null
				? null
				: {
						signerName,
						signedAt: new Date(signedAt),
						signedAtClock,
						strokes
					}
	};
}
