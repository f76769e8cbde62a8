/**
 * The desk's call intake and lookup inputs (jobs/intake.ts). Apart from shared/schemas.ts, which
 * every page loads (the phone included), since only the desk's pages and the server need them.
 */
import { z } from 'zod/mini';
import { JOB_URGENCIES } from './desk-domain';
import { required, trimmed } from './schemas';

/**
 * A customer's call as the desk takes it (jobs/intake.ts): the job number, the reported time
 * (the server's clock when saved) and who took it are the server's, never the form's. A call
 * always leaves a way to call back and what is wrong.
 */
export const callIntakeSchema = z.strictObject({
	customerName: required(100, 'customer name is required'),
	customerPhone: required(40, 'phone number is required'),
	customerAddress: z._default(trimmed(200), ''),
	productModel: z._default(trimmed(100), ''),
	deviceSerial: z._default(trimmed(100), ''),
	faultCategoryId: z.optional(z.nullable(z.uuid())),
	faultDescription: required(2000, 'describe the fault'),
	urgency: z._default(z.enum(JOB_URGENCIES), 'normal'),
	/** An earlier job of the station this call is a revisit (rework) of. */
	previousJobId: z.optional(z.nullable(z.uuid())),
	/** Dispatch now; left out, the job waits unassigned on the board. */
	technicianId: z.optional(z.nullable(z.uuid()))
});
export type CallIntake = z.output<typeof callIntakeSchema>;

/** The shortest phone or serial prefix the desk's lookup searches with (fewer match too much). */
export const LOOKUP_MIN_CHARACTERS = 3;

/** The desk's lookup of earlier jobs as the phone number or serial is typed: prefixes of either. */
export const earlierJobsLookupSchema = z.strictObject({
	phone: z.optional(trimmed(40)),
	serial: z.optional(trimmed(100))
});

/** Cancelling a job always says why (kept in its history). */
export const cancelJobSchema = z.strictObject({
	jobId: z.uuid(),
	reason: required(500, 'a reason is required')
});
