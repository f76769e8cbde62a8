/**
 * The administration API's inputs (trpc/routers/admin.ts; auth/accounts.ts enforces who may do
 * what). Apart from shared/schemas.ts, which every page loads, since no browser code needs them.
 */
import { z } from 'zod/mini';
import {
	newUserSchema,
	passwordSchema,
	required,
	stationCodeSchema,
	trimmed,
	userRoleSchema
} from './schemas';

/**
 * Why an account was changed, kept in its audit (null there when none is given): optional,
 * except where the role changes, which alters what a person may do and so must say why.
 */
const accountChangeReason = /* @__PURE__ */ z.optional(trimmed(500));

/**
 * A new account: with a password the administrator typed, one the server makes and shows once
 * (`generatePassword`), or neither (it cannot sign in until one is set).
 */
export const newStationUserSchema = /* @__PURE__ */ z
	.extend(newUserSchema, {
		stationId: z.uuid(),
		generatePassword: z.optional(z.boolean()),
		reason: accountChangeReason
	})
	.check(
		z.refine((account) => !(account.generatePassword && account.password !== undefined), {
			message: 'give a password or have one generated, not both',
			path: ['password']
		})
	);

/** A password reset: the one typed, or, without one, a password the server makes and shows once. */
export const setUserPasswordSchema = z.strictObject({
	stationId: z.uuid(),
	userId: z.uuid(),
	password: z.optional(passwordSchema),
	reason: accountChangeReason
});

export const accountRefSchema = z.strictObject({ stationId: z.uuid(), userId: z.uuid() });

export const setUserActiveSchema = z.strictObject({
	stationId: z.uuid(),
	userId: z.uuid(),
	active: z.boolean(),
	reason: accountChangeReason
});

export const renameUserSchema = z.strictObject({
	stationId: z.uuid(),
	userId: z.uuid(),
	name: newUserSchema.shape.name,
	reason: accountChangeReason
});

export const setUserRoleSchema = z.object({
	stationId: z.uuid(),
	userId: z.uuid(),
	role: userRoleSchema,
	reason: required(500, 'a reason is required')
});

/**
 * The stations a region manager reads, by code: the list replaces the one before (empty: none).
 * As many as a system administrator could tick on the page; the service refuses unknown codes.
 */
export const setRegionStationsSchema = z.strictObject({
	stationId: z.uuid(),
	userId: z.uuid(),
	stationCodes: z.array(stationCodeSchema).check(z.maxLength(1000)),
	reason: accountChangeReason
});
