/**
 * The offline sync protocol (shared/spec/sync.md): what a device sends (`sync.push`) and what
 * it receives (`sync.pull`). The browser's outbox, the sync engine and the server all validate
 * against these schemas, so a mutation means the same thing on both sides.
 *
 * Mutations express intent ("arrived at 09:12"), not row images; the server decides how
 * they apply, checks permissions, and keeps the history of overwritten values.
 */
import { z } from 'zod/mini';
import {
	addFollowUpSchema,
	addJobPartSchema,
	assignJobSchema,
	jobFieldsSchema,
	jobOutcomeSchema,
	newJobSchema,
	required,
	timeSchema,
	trimmed
} from './schemas';
import { stepPositionSchema } from './step-position';
import { signatureSchema } from './signature';

const reason = required(500, 'a reason is required');
const jobRef = { jobId: z.uuid() };

/**
 * The editable job fields, each optional and WITHOUT the defaults of jobFieldsSchema: a field
 * left out stays as it is (with the defaults, every field left out would be blanked).
 */
const fields = jobFieldsSchema.shape;
const jobFieldEditsSchema = z.strictObject({
	customerName: z.optional(fields.customerName.def.innerType),
	customerPhone: z.optional(fields.customerPhone.def.innerType),
	customerAddress: z.optional(fields.customerAddress.def.innerType),
	productModel: z.optional(fields.productModel.def.innerType),
	deviceSerial: z.optional(fields.deviceSerial.def.innerType),
	faultCategoryId: fields.faultCategoryId,
	faultDescription: z.optional(fields.faultDescription.def.innerType),
	notes: z.optional(fields.notes.def.innerType)
});

/** Every mutation a device can make, by name, with its arguments. */
export const mutationArgs = {
	/** A new job, made offline: id (UUIDv7) and job number come from the device. */
	'job.create': newJobSchema,
	/** Customer, device and fault facts edited after creation. */
	'job.update': z.strictObject({ ...jobRef, fields: jobFieldEditsSchema }),
	/**
	 * One-tap stamps with the device's own clock. Arrival and completion carry where they
	 * happened when the station records positions (absent from phones that do not ask, and from
	 * older ones); the server keeps it only while the station records positions.
	 */
	'job.arrive': z.strictObject({
		...jobRef,
		at: timeSchema,
		position: z.optional(stepPositionSchema)
	}),
	'job.start': z.strictObject({ ...jobRef, at: timeSchema }),
	'job.complete': z.strictObject({
		...jobRef,
		at: timeSchema,
		outcome: jobOutcomeSchema,
		notes: z.optional(trimmed(2000)),
		position: z.optional(stepPositionSchema),
		/**
		 * The customer's signature (lib/shared/signature.ts), kept with the completion; required
		 * while the station's completion requires a signature (refusal signature_required).
		 */
		signature: z.optional(signatureSchema)
	}),
	/** Correcting recorded times afterwards always carries a reason (kept in the history). */
	'job.setTimes': z
		.strictObject({
			...jobRef,
			reportedAt: z.optional(timeSchema),
			arrivedAt: z.optional(z.nullable(timeSchema)),
			startedAt: z.optional(z.nullable(timeSchema)),
			completedAt: z.optional(timeSchema),
			reason
		})
		.check(
			z.refine(
				(v) =>
					v.reportedAt !== undefined ||
					v.arrivedAt !== undefined ||
					v.startedAt !== undefined ||
					v.completedAt !== undefined,
				'change at least one time'
			)
		),
	'job.cancel': z.strictObject({ ...jobRef, reason }),
	/** The desk and supervisors; a reassignment carries a reason (jobs/service.ts assignJob). */
	'job.assign': assignJobSchema,
	'job.verify': z.strictObject({ ...jobRef }),
	'part.add': addJobPartSchema,
	/** Part lines are insert-only; removing one leaves a tombstone. */
	'part.remove': z.strictObject({ id: z.uuid() }),
	'followUp.add': addFollowUpSchema
} as const;

export type MutationName = keyof typeof mutationArgs;
const MUTATION_NAMES = Object.keys(mutationArgs) as MutationName[];
export type MutationArgs<N extends MutationName> = z.input<(typeof mutationArgs)[N]>;

/** One outbox entry as sent: `id` is the client's gap-free, increasing mutation id. */
export const mutationEnvelopeSchema = z.strictObject({
	id: z.number().check(z.int(), z.positive()),
	name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
	/** Validated per name by the server (a bad one is a permanent rejection, not a batch error). */
	args: z.unknown(),
	/**
	 * The device's clock when the change was made. Its range (timeSchema) is checked per
	 * mutation by the server: a phone whose clock jumped to 1970 must not block its whole queue.
	 */
	madeAt: z.coerce.date()
});
export type MutationEnvelope = z.infer<typeof mutationEnvelopeSchema>;

export const PUSH_BATCH_LIMIT = 200;

export const pushInputSchema = z.strictObject({
	clientId: z.uuid(),
	mutations: z.array(mutationEnvelopeSchema).check(z.minLength(1), z.maxLength(PUSH_BATCH_LIMIT))
});

/**
 * Why a mutation was refused, for the device to say in its user's language
 * (client/tech/rejection-text.ts): a stable key and its parameters, which name a job by its
 * number (never by its id) and a field by its name. The keys the server sends:
 * - invalid_field {field, problem[, max]}: problem is one of required, too_long, unknown_key,
 *   unstorable, date, choose, times_unchanged, invalid;
 * - job_not_found, line_not_found, part_unknown, job_id_taken, fault_category_unknown,
 *   previous_job_unknown, not_active_technician, supervisor_only, own_jobs_only,
 *   station_admin_read_only, desk_no_visit_steps, desk_opens_calls, desk_only,
 *   desk_supervisor_only;
 * - desk_job_completed, reassign_reason_required, job_closed_for_assignment {jobNo};
 * - job_verified, job_cancelled, job_not_completed, job_completed, job_completed_correct,
 *   job_no_taken {jobNo};
 * - follow_up_in_future, follow_up_before_completion, follow_up_job_verified {jobNo}: a
 *   follow-up's date, or a technician's follow-up on a verified job (follow-ups/service.ts);
 * - previous_job_not_own, job_needs_customer, job_needs_device, job_needs_fault;
 *   previous_job_not_earlier, previous_job_unrelated {jobNo}: a technician's link to an earlier
 *   job and an empty job (docs/kpi-rules.md);
 * - reassigned_job_taken_over {jobNo}: offline work on a job reassigned since, whose new
 *   technician has recorded work of their own; reported_time_desk_owned {jobNo}: a technician
 *   moving the reported time of a job the desk opened;
 * - step_in_future, step_before_report, step_out_of_order, step_missing {jobNo, field}: a
 *   change of times that breaks their order (shared/step-times.ts);
 * - part_inactive {sku};
 * - signature_required {jobNo}: the station's completion requires the customer's signature;
 * - database_refused: a value the database would not store; server_error: the server could
 *   not apply it at all (its log says why).
 * A key this version does not know is shown as a generic refusal (older phones ignore `reason`
 * and show `message`).
 */
export const rejectionReasonSchema = z.object({
	key: z.string(),
	// Not z.record(…): the phone parses every push answer, and a record schema would cost its
	// script budget more than the renderer's own checks of each parameter (String(value)).
	params: z.custom<Record<string, string | number>>(
		(value) => typeof value === 'object' && value !== null && !Array.isArray(value)
	)
});
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

export const rejectionSchema = z.object({
	/** The tRPC error code (BAD_REQUEST, FORBIDDEN, NOT_FOUND, CONFLICT, INTERNAL_SERVER_ERROR). */
	code: z.string(),
	/** English, for logs and API callers. */
	message: z.string(),
	/** Absent in answers recorded before reasons existed. */
	reason: z.optional(rejectionReasonSchema)
});
export type Rejection = z.infer<typeof rejectionSchema>;

export const mutationResultSchema = z.object({
	id: z.number().check(z.int()),
	/** applied: took effect now; duplicate: applied earlier; rejected: permanent, never retried. */
	status: z.enum(['applied', 'duplicate', 'rejected']),
	error: z.nullable(rejectionSchema)
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushOutputSchema = z.object({
	/** The highest mutation id the server has processed for this client. */
	lastMutationId: z.number().check(z.int(), z.nonnegative()),
	results: z.array(mutationResultSchema),
	/** True when the batch stopped at a gap (an id > last + 1): resend from lastMutationId + 1. */
	gap: z.boolean()
});

export const pullInputSchema = z.strictObject({
	clientId: z.uuid(),
	/**
	 * Opaque to the device; null on the first pull and after a reset. The server writes a
	 * pg_snapshot (`xmin:xmax:xip,…`, server/sync/cursor.ts); older servers wrote an xid8 alone.
	 * The in-progress list is as long as the transactions then open: bounded by the server's
	 * connections, far below this length.
	 */
	cursor: z.nullable(
		z.string().check(z.maxLength(16_000), z.regex(/^\d{1,20}(:\d{1,20}:(\d{1,20}(,\d{1,20})*)?)?$/))
	)
});

// The pull's records and answer live in sync-records.ts, which only the pull loads on the phone
// (the first load's script budget); their types are here too, for everyone else.
export type {
	FaultCategoryRecord,
	FollowUpRecord,
	JobPartRecord,
	JobRecord,
	PartRecord,
	PullOutput
} from './sync-records';
