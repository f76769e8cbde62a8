/**
 * Where a visit step happened (issue 14): what a phone sends with its arrival and completion
 * taps when its station records positions, checked the same on the phone, in the sync push and
 * in tRPC. A position is evidence only: no KPI reads it.
 */
import { z } from 'zod/mini';
import { POSITION_STATES, type PositionState } from './evidence-domain';

/**
 * A fix less precise than this places the step nowhere useful (a whole city): the phone
 * records it as unavailable, and the server refuses it.
 */
const POSITION_ACCURACY_MAX_M = 100_000;

/** A number within [min, max], refused with a message naming the field and its range. */
const within = /* @__NO_SIDE_EFFECTS__ */ (min: number, max: number, what: string) => {
	const message = `${what} must be between ${min} and ${max}`;
	return z.number().check(z.gte(min, message), z.lte(max, message));
};

/**
 * `recorded` with latitude, longitude (WGS 84 degrees, as the browser's geolocation gives them)
 * and the fix's accuracy radius in metres; `denied` or `unavailable` with nothing else.
 */
export const stepPositionSchema = /* @__PURE__ */ z
	.strictObject({
		state: z.enum(POSITION_STATES),
		latitude: z.optional(within(-90, 90, 'latitude')),
		longitude: z.optional(within(-180, 180, 'longitude')),
		accuracyM: z.optional(within(0, POSITION_ACCURACY_MAX_M, 'accuracy (metres)'))
	})
	.check(
		z.refine(
			(position) =>
				(position.state === 'recorded') ===
				(position.latitude !== undefined &&
					position.longitude !== undefined &&
					position.accuracyM !== undefined),
			'a recorded position has latitude, longitude and accuracy; a denied or unavailable one has none'
		)
	);
export type StepPosition = z.infer<typeof stepPositionSchema>;

/** Where a job's arrival or completion happened, as the supervisor's job page shows it. */
export interface StepPositionEntry {
	step: 'arrived' | 'completed';
	state: PositionState;
	/** Present when `state` is recorded. */
	latitude: number | null;
	longitude: number | null;
	accuracyM: number | null;
}
