/**
 * zod schemas for everything a person or a device sends: the same schema validates a form
 * in the browser, a mutation in a sync batch and the tRPC input on the server.
 */
import { z } from 'zod';
import { FOLLOW_UP_CHANNELS, JOB_OUTCOMES, JOB_STATUSES, USER_ROLES } from './domain';

const trimmed = (max: number) => z.string().trim().max(max);

export const loginNameSchema = z
	.string()
	.trim()
	.min(1, 'login is required')
	.max(64)
	.regex(/^[A-Za-z0-9._-]+$/, 'login may contain only letters, digits, ".", "_" and "-"');

export const stationCodeSchema = z
	.string()
	.trim()
	.min(1, 'station code is required')
	.max(32)
	.regex(/^[A-Za-z0-9_-]+$/, 'station code may contain only letters, digits, "_" and "-"')
	.transform((code) => code.toUpperCase());

export const passwordSchema = z
	.string()
	.min(8, 'password must have at least 8 characters')
	.max(256, 'password is too long');

export const signInSchema = z.object({
	/** Optional: needed only when the same login exists in more than one station. */
	station: z.union([stationCodeSchema, z.literal('')]).optional(),
	login: loginNameSchema,
	password: z.string().min(1, 'password is required').max(256)
});
export type SignInInput = z.infer<typeof signInSchema>;

export const userRoleSchema = z.enum(USER_ROLES);
export const jobStatusSchema = z.enum(JOB_STATUSES);
export const jobOutcomeSchema = z.enum(JOB_OUTCOMES);
export const followUpChannelSchema = z.enum(FOLLOW_UP_CHANNELS);

export const newUserSchema = z.object({
	login: loginNameSchema,
	name: trimmed(100).min(1, 'name is required'),
	role: userRoleSchema,
	password: passwordSchema.optional()
});

/** Money as a decimal string with at most 2 decimals, never a float. */
export const moneySchema = z
	.string()
	.trim()
	.regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be a non-negative amount with at most 2 decimals');

/** Quantity as a positive decimal string with at most 3 decimals. */
export const quantitySchema = z
	.string()
	.trim()
	.regex(/^\d{1,9}(\.\d{1,3})?$/, 'must be a number with at most 3 decimals')
	.refine((s) => Number(s) > 0, 'must be greater than 0');

const optionalDate = z.coerce.date().nullable().optional();

export const jobFieldsSchema = z.object({
	customerName: trimmed(100).default(''),
	customerPhone: trimmed(40).default(''),
	customerAddress: trimmed(200).default(''),
	productModel: trimmed(100).default(''),
	deviceSerial: trimmed(100).default(''),
	faultCategoryId: z.uuid().nullable().optional(),
	faultDescription: trimmed(2000).default(''),
	notes: trimmed(2000).default('')
});

export const newJobSchema = jobFieldsSchema.extend({
	id: z.uuid(),
	jobNo: trimmed(40).min(1, 'job number is required'),
	reportedAt: z.coerce.date(),
	previousJobId: z.uuid().nullable().optional()
});
export type NewJobInput = z.infer<typeof newJobSchema>;

export const jobTimesSchema = z.object({
	arrivedAt: optionalDate,
	startedAt: optionalDate,
	completedAt: optionalDate
});

export const completeJobSchema = z.object({
	jobId: z.uuid(),
	completedAt: z.coerce.date(),
	outcome: jobOutcomeSchema,
	notes: trimmed(2000).optional()
});

export const addJobPartSchema = z.object({
	id: z.uuid(),
	jobId: z.uuid(),
	partId: z.uuid(),
	qty: quantitySchema
});

export const addFollowUpSchema = z.object({
	id: z.uuid(),
	jobId: z.uuid(),
	visitedAt: z.coerce.date(),
	channel: followUpChannelSchema.default('phone'),
	satisfaction: z.number().int().min(1).max(5).nullable().optional(),
	issueResolved: z.boolean().nullable().optional(),
	comment: trimmed(2000).default('')
});

export const partSchema = z.object({
	sku: trimmed(64).min(1, 'SKU is required'),
	name: trimmed(200).min(1, 'name is required'),
	unitCost: moneySchema,
	unit: trimmed(16).min(1).default('个'),
	active: z.boolean().default(true)
});

export const listLimitSchema = z.number().int().min(1).max(500).default(100);

/** An IANA time zone the runtime knows, stored in its canonical spelling ("Asia/Shanghai"). */
export const timeZoneSchema = z
	.string()
	.trim()
	.min(1, 'time zone is required')
	// An empty value already has its own message from min(1).
	.refine((zone) => zone === '' || canonicalTimeZone(zone) !== null, {
		error: (issue) => `unknown time zone "${String(issue.input)}" (expected e.g. Asia/Shanghai)`
	})
	.transform((zone) => canonicalTimeZone(zone) as string);

function canonicalTimeZone(zone: string): string | null {
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

export const newStationSchema = z.object({
	code: stationCodeSchema,
	name: trimmed(100).min(1, 'station name is required'),
	timeZone: timeZoneSchema
});

export const stationRefSchema = z.object({ stationId: z.uuid() });

export const newStationUserSchema = newUserSchema.extend({ stationId: z.uuid() });

export const setUserPasswordSchema = z.object({
	stationId: z.uuid(),
	userId: z.uuid(),
	password: passwordSchema
});

export const setUserActiveSchema = z.object({
	stationId: z.uuid(),
	userId: z.uuid(),
	active: z.boolean()
});
