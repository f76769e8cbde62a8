/**
 * The station's fault categories: added, renamed, retimed, deactivated and reactivated, never
 * deleted (jobs name them), and their code never changes.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db';
import { faultCategories } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { DEFAULT_FLOOR_MINUTES, DEFAULT_STANDARD_MINUTES } from '../../../shared/kpi';
import type {
	FaultCategorySetting,
	FaultCategoryValue,
	SettingsChangeResult
} from '../../../shared/station-settings';
import { refusal } from '../../refusal';
import { addProblem, invalidInput, requiredText, wholeNumberIn } from './fields';
import { CATEGORY_SUBJECT, editSettings, writeAudit } from './editing';

/** A day of hands-on work; longer standard times would make every job look fast. */
export const STANDARD_MINUTES_RANGE = { min: 1, max: 1440 } as const;

/**
 * A repair shorter than its category's floor is flagged too_fast (docs/kpi-rules.md); 0 flags
 * none. At most a day, as the standard time.
 */
export const FLOOR_MINUTES_RANGE = { min: 0, max: 1440 } as const;

const CATEGORY_CODE = /^[A-Za-z0-9_-]{1,32}$/;

export const newFaultCategoryInputSchema = z.object({
	code: z
		.string({ error: 'must be text' })
		.trim()
		.refine((code) => code.length > 0, { message: 'is required', params: { problem: 'required' } })
		.refine((code) => code === '' || CATEGORY_CODE.test(code), {
			message: 'may contain only letters, digits, "_" and "-" (at most 32)',
			params: { problem: 'code_format' }
		}),
	name: requiredText(100),
	standardMinutes: wholeNumberIn(STANDARD_MINUTES_RANGE).default(DEFAULT_STANDARD_MINUTES),
	floorMinutes: wholeNumberIn(FLOOR_MINUTES_RANGE).default(DEFAULT_FLOOR_MINUTES)
});

export const faultCategoryChangeInputSchema = z
	.object({
		id: z.uuid('must be a fault category id (UUID)'),
		name: requiredText(100).optional(),
		standardMinutes: wholeNumberIn(STANDARD_MINUTES_RANGE).optional(),
		floorMinutes: wholeNumberIn(FLOOR_MINUTES_RANGE).optional(),
		active: z.boolean({ error: 'must be true or false' }).optional()
	})
	.superRefine((input, ctx) => {
		if (
			input.name === undefined &&
			input.standardMinutes === undefined &&
			input.floorMinutes === undefined &&
			input.active === undefined
		) {
			addProblem(
				ctx,
				[],
				'nothing_to_change',
				'give name, standardMinutes, floorMinutes, active or several'
			);
		}
	});

/** A category as the audit stores it (old_value and new_value), read back. */
export const categoryValueSchema = z.object({
	name: z.string(),
	standardMinutes: z.number(),
	/** Absent in audit rows written before floors were kept, when every floor was the default. */
	floorMinutes: z.number().default(DEFAULT_FLOOR_MINUTES),
	active: z.boolean()
});

export async function addFaultCategory(
	db: Database,
	user: SessionUser,
	input: z.output<typeof newFaultCategoryInputSchema>
): Promise<FaultCategorySetting> {
	return editSettings(db, user, async (tx) => {
		const [created] = await tx
			.insert(faultCategories)
			.values({ stationId: user.stationId, ...input })
			.onConflictDoNothing({ target: [faultCategories.stationId, faultCategories.code] })
			.returning();
		if (!created) {
			throw invalidInput(
				['code'],
				'code_taken',
				`the fault category code "${input.code}" already exists in this station`,
				{ code: input.code },
				'CONFLICT'
			);
		}
		const value: FaultCategoryValue = {
			name: created.name,
			standardMinutes: created.standardMinutes,
			floorMinutes: created.floorMinutes,
			active: created.active
		};
		await writeAudit(tx, user, [
			{ subject: `${CATEGORY_SUBJECT}${created.code}`, oldValue: null, newValue: value }
		]);
		return { id: created.id, code: created.code, ...value, jobCount: 0 };
	});
}

/** Renames, retimes, deactivates or reactivates a category; its code never changes. */
export async function changeFaultCategory(
	db: Database,
	user: SessionUser,
	input: z.output<typeof faultCategoryChangeInputSchema>
): Promise<SettingsChangeResult> {
	return editSettings(db, user, async (tx) => {
		const [category] = await tx
			.select()
			.from(faultCategories)
			.where(and(eq(faultCategories.stationId, user.stationId), eq(faultCategories.id, input.id)))
			.for('update');
		if (!category) {
			throw refusal(
				'NOT_FOUND',
				`Fault category ${input.id} was not found in the station.`,
				'fault_category_not_found',
				{ id: input.id }
			);
		}
		const before: FaultCategoryValue = {
			name: category.name,
			standardMinutes: category.standardMinutes,
			floorMinutes: category.floorMinutes,
			active: category.active
		};
		const after: FaultCategoryValue = {
			name: input.name ?? before.name,
			standardMinutes: input.standardMinutes ?? before.standardMinutes,
			floorMinutes: input.floorMinutes ?? before.floorMinutes,
			active: input.active ?? before.active
		};
		if (
			after.name === before.name &&
			after.standardMinutes === before.standardMinutes &&
			after.floorMinutes === before.floorMinutes &&
			after.active === before.active
		) {
			return { changed: 0 };
		}
		await tx
			.update(faultCategories)
			.set({ ...after, updatedAt: sql`now()` })
			.where(and(eq(faultCategories.stationId, user.stationId), eq(faultCategories.id, input.id)));
		await writeAudit(tx, user, [
			{ subject: `${CATEGORY_SUBJECT}${category.code}`, oldValue: before, newValue: after }
		]);
		return { changed: 1 };
	});
}
