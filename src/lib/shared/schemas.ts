/**
 * zod schemas for everything a person or a device sends: the same schema validates a form
 * in the browser, a mutation in a sync batch and the tRPC input on the server.
 */
import { z } from 'zod/mini';
import { FOLLOW_UP_CHANNELS, JOB_OUTCOMES, JOB_STATUSES, USER_ROLES } from './domain';
import { stepPositionSchema } from './step-position';

// zod/mini (the browser bundles these): `.check(...)` instead of method chains, same checks and
// messages as the classic API, so a schema validates the same on every side.
// zod marks its functions as free of side effects, but not the `.check(...)` method: the
// `@__PURE__` / `@__NO_SIDE_EFFECTS__` marks on the calls of it let the browser's bundle drop
// the schemas only the server uses (sign-in, accounts, stations, the catalogue, imports).

/**
 * Text PostgreSQL can store: no NUL character (text refuses it) and no unpaired UTF-16
 * surrogate (not a character at all: the drivers would silently turn it into U+FFFD). A
 * surrogate pair (an emoji) is fine.
 */
// eslint-disable-next-line no-control-regex -- NUL is the very character PostgreSQL refuses
const STORABLE_TEXT = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain a NUL character or an unpaired surrogate';
const storableText = /* @__NO_SIDE_EFFECTS__ */ () =>
	z.regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);

/** A trimmed string of at most `max` characters. */
export const trimmed = /* @__NO_SIDE_EFFECTS__ */ (max: number) =>
	z.string().check(z.trim(), z.maxLength(max), storableText());
/** A trimmed string of at most `max` characters that must not be empty. */
export const required = /* @__NO_SIDE_EFFECTS__ */ (max: number, message?: string) =>
	z.string().check(z.trim(), z.maxLength(max), z.minLength(1, message), storableText());

/**
 * The times a person or device records: a date PostgreSQL can store and KPIs can use. A clock
 * set decades off, or a hostile value (year 200,000), is a per-field error, not a database
 * error.
 */
const EARLIEST_TIME = new Date('2000-01-01T00:00:00Z');
const LATEST_TIME = new Date('2100-01-01T00:00:00Z');
export const timeSchema = /* @__PURE__ */ z.coerce
	.date()
	.check(
		z.gte(EARLIEST_TIME, 'must be in the years 2000 to 2099'),
		z.lt(LATEST_TIME, 'must be in the years 2000 to 2099')
	);

export const loginNameSchema = /* @__PURE__ */ z
	.string()
	.check(
		z.trim(),
		z.minLength(1, 'login is required'),
		z.maxLength(64),
		z.regex(/^[A-Za-z0-9._-]+$/, 'login may contain only letters, digits, ".", "_" and "-"')
	);

export const stationCodeSchema = z.pipe(
	/* @__PURE__ */ z
		.string()
		.check(
			z.trim(),
			z.minLength(1, 'station code is required'),
			z.maxLength(32),
			z.regex(/^[A-Za-z0-9_-]+$/, 'station code may contain only letters, digits, "_" and "-"')
		),
	z.transform((code: string) => code.toUpperCase())
);

export const passwordSchema = /* @__PURE__ */ z.string().check(
	// The server's policy (auth/password-policy.ts) has the same minimum and more rules.
	z.minLength(10, 'password must have at least 10 characters'),
	z.maxLength(256, 'password is too long')
);

export const signInSchema = z.strictObject({
	/** Optional: needed only when the same login exists in more than one station. */
	station: z.optional(z.union([stationCodeSchema, z.literal('')])),
	login: loginNameSchema,
	password: /* @__PURE__ */ z
		.string()
		.check(z.minLength(1, 'password is required'), z.maxLength(256))
});
export type SignInInput = z.infer<typeof signInSchema>;

export const userRoleSchema = z.enum(USER_ROLES);
export const jobStatusSchema = z.enum(JOB_STATUSES);
export const jobOutcomeSchema = z.enum(JOB_OUTCOMES);
export const followUpChannelSchema = z.enum(FOLLOW_UP_CHANNELS);

export const newUserSchema = z.strictObject({
	login: loginNameSchema,
	name: required(100, 'name is required'),
	role: userRoleSchema,
	password: z.optional(passwordSchema)
});

/** Money as a decimal string with at most 2 decimals, never a float. */
export const moneySchema = /* @__PURE__ */ z
	.string()
	.check(
		z.trim(),
		z.regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be a non-negative amount with at most 2 decimals')
	);

/** Quantity as a positive decimal string with at most 3 decimals. */
export const quantitySchema = /* @__PURE__ */ z.string().check(
	z.trim(),
	z.regex(/^\d{1,9}(\.\d{1,3})?$/, 'must be a number with at most 3 decimals'),
	z.refine((s) => Number(s) > 0, 'must be greater than 0')
);

export const jobFieldsSchema = z.strictObject({
	customerName: z._default(trimmed(100), ''),
	customerPhone: z._default(trimmed(40), ''),
	customerAddress: z._default(trimmed(200), ''),
	productModel: z._default(trimmed(100), ''),
	deviceSerial: z._default(trimmed(100), ''),
	faultCategoryId: z.optional(z.nullable(z.uuid())),
	faultDescription: z._default(trimmed(2000), ''),
	notes: z._default(trimmed(2000), '')
});

export const newJobSchema = z.extend(jobFieldsSchema, {
	id: z.uuid(),
	jobNo: required(40, 'job number is required'),
	reportedAt: timeSchema,
	previousJobId: z.optional(z.nullable(z.uuid()))
});

/**
 * Giving a job to a technician: the first assignment needs no reason, a reassignment does
 * (the service checks, as only it knows whether the job has a technician); kept in its history.
 */
export const assignJobSchema = z.strictObject({
	jobId: z.uuid(),
	technicianId: z.uuid(),
	reason: z.optional(trimmed(500))
});

export const completeJobSchema = z.strictObject({
	jobId: z.uuid(),
	completedAt: timeSchema,
	outcome: jobOutcomeSchema,
	notes: z.optional(trimmed(2000)),
	/** Where the completion happened (shared/step-position.ts), as the sync's job.complete. */
	position: z.optional(stepPositionSchema)
});

export const addJobPartSchema = z.strictObject({
	id: z.uuid(),
	jobId: z.uuid(),
	partId: z.uuid(),
	qty: quantitySchema
});

export const addFollowUpSchema = z.strictObject({
	id: z.uuid(),
	jobId: z.uuid(),
	visitedAt: timeSchema,
	channel: z._default(followUpChannelSchema, 'phone'),
	satisfaction: z.optional(
		z.nullable(/* @__PURE__ */ z.number().check(z.int(), z.gte(1), z.lte(5)))
	),
	issueResolved: z.optional(z.nullable(z.boolean())),
	comment: z._default(trimmed(2000), '')
});

/** A follow-up's own values as stored, on the device and on the server alike. */
export function followUpRecord(input: z.output<typeof addFollowUpSchema>) {
	return {
		id: input.id,
		jobId: input.jobId,
		visitedAt: input.visitedAt,
		channel: input.channel,
		satisfaction: input.satisfaction ?? null,
		issueResolved: input.issueResolved ?? null,
		comment: input.comment
	};
}

export const partSchema = z.strictObject({
	sku: required(64, 'SKU is required'),
	name: required(200, 'name is required'),
	unitCost: moneySchema,
	unit: z._default(required(16), '个'),
	active: z._default(z.boolean(), true)
});

export const listLimitSchema = z._default(
	/* @__PURE__ */ z.number().check(z.int(), z.gte(1), z.lte(500)),
	100
);

/** An IANA time zone the runtime knows, stored in its canonical spelling ("Asia/Shanghai"). */
const timeZoneSchema = z.pipe(
	/* @__PURE__ */ z.string().check(
		z.trim(),
		z.minLength(1, 'time zone is required'),
		// An empty value already has its own message from min(1).
		z.refine((zone) => zone === '' || canonicalTimeZone(zone) !== null, {
			error: (issue) => `unknown time zone "${String(issue.input)}" (expected e.g. Asia/Shanghai)`
		})
	),
	z.transform((zone: string) => canonicalTimeZone(zone) as string)
);

function canonicalTimeZone(zone: string): string | null {
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

export const newStationSchema = z.strictObject({
	code: stationCodeSchema,
	name: required(100, 'station name is required'),
	timeZone: timeZoneSchema
});

export const stationRefSchema = z.strictObject({ stationId: z.uuid() });

export const changeOwnPasswordSchema = z.object({
	current: /* @__PURE__ */ z.string().check(z.minLength(1), z.maxLength(256)),
	next: passwordSchema
});
