/**
 * The customer's signature on a completion (issue 14, lib/shared/signature.ts). It arrives with
 * the completion (job.complete, tRPC jobs.complete) and is kept in job_signatures in the same
 * transaction; a later completion with a new signature replaces it (the customer signed again),
 * one without keeps it. While the station's completion requires a signature
 * (stations/settings/evidence.ts), a technician's completion of a job with none is refused.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Transaction } from '../db';
import { queryRows } from '../db/rows';
import { jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusal } from '../refusal';
import type { Signature } from '../../shared/signature';
import { visibleJobCondition } from './access';

/**
 * A technician completing without a signature while the station requires one: such a
 * completion needs checking against the stored signature, so the sync push applies it alone
 * through the service (sync/bulk/rounds.ts), as it does every signed completion.
 */
export function signatureMayBeMissing(user: SessionUser, signed: boolean): boolean {
	return !signed && user.role === 'technician' && user.completionRequiresSignature;
}

/**
 * Refuses a completion that needs a signature and has none, given or stored. A job this user
 * cannot see, or a cancelled one, is left to the completion itself to refuse with its reason.
 */
export async function requireSignatureWhereDue(
	tx: Transaction,
	user: SessionUser,
	jobId: string,
	signed: boolean
): Promise<void> {
	if (!signatureMayBeMissing(user, signed)) return;
	const [job] = await queryRows<{ jobNo: string; signed: boolean }>(
		tx,
		sql`SELECT ${jobs.jobNo} AS "jobNo", EXISTS (
				SELECT 1 FROM job_signatures s
				WHERE s.station_id = ${jobs.stationId} AND s.job_id = ${jobs.id}
			) AS signed
			FROM ${jobs}
			WHERE ${and(
				eq(jobs.stationId, user.stationId),
				eq(jobs.id, jobId),
				ne(jobs.status, 'cancelled'),
				visibleJobCondition(user)
			)}`
	);
	if (!job || job.signed) return;
	throw refusal(
		'BAD_REQUEST',
		`Job ${job.jobNo} needs the customer's signature to be completed: this station requires one.`,
		'signature_required',
		{ jobNo: job.jobNo }
	);
}

/** Keeps the signature of a completion just recorded (the caller checked who may record it). */
export async function keepSignature(
	tx: Transaction,
	user: SessionUser,
	jobId: string,
	signature: Signature
): Promise<void> {
	await tx.execute(sql`
		INSERT INTO job_signatures (station_id, job_id, signer_name, signed_at, strokes, recorded_by)
		VALUES (${user.stationId}::uuid, ${jobId}::uuid, ${signature.signerName},
			${signature.signedAt.toISOString()}::timestamptz, ${JSON.stringify(signature.strokes)}::jsonb,
			${user.id}::uuid)
		ON CONFLICT (station_id, job_id) DO UPDATE SET signer_name = excluded.signer_name,
			signed_at = excluded.signed_at, strokes = excluded.strokes,
			recorded_by = excluded.recorded_by, received_at = now()`);
}
