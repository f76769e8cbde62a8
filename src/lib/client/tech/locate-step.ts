/**
 * Where the technician is as they tap Arrived or confirm a completion, when their station
 * records positions (issue 14). Loaded only then (StepPositionNotice.svelte), never in the
 * technician pages' first load.
 *
 * The tap never waits long and never fails for want of a position: its time is taken at the
 * tap, and the step is recorded with whatever this answers within a few seconds; a fix that
 * comes later is not kept. No position is not an error: `denied` when the technician refused
 * permission, `unavailable` when the phone has no sensor or no fix in time.
 */
import { stepPositionSchema, type StepPosition } from '$lib/shared/step-position';

/** How long a tap waits for a fix before the step is recorded with none. */
export const FIX_WAIT_MS = 3_000;
/**
 * While the browser asks the technician for permission (the first time), the tap waits for
 * their answer: a fix needs it, and the question is on the screen in front of them.
 */
export const PERMISSION_WAIT_MS = 20_000;

/** What the phone is asked for: a fresh, precise fix, or one up to a minute old. */
const FIX_OPTIONS: PositionOptions = {
	enableHighAccuracy: true,
	timeout: 10_000,
	maximumAge: 60_000
};

const UNAVAILABLE: StepPosition = { state: 'unavailable' };

/** What the phone offers (the browser's navigator); either part may be missing. */
interface Device {
	geolocation?: Geolocation;
	permissions?: Permissions;
}

export async function locateStep({
	geolocation,
	permissions
}: Device = navigator): Promise<StepPosition> {
	if (!geolocation) return UNAVAILABLE;
	const wait = (await permissionAsked(permissions)) ? PERMISSION_WAIT_MS : FIX_WAIT_MS;
	return new Promise((resolve) => {
		// The first answer counts: the fix, a refusal, or the end of the wait.
		const timer = setTimeout(() => resolve(UNAVAILABLE), wait);
		const answer = (position: StepPosition) => {
			clearTimeout(timer);
			resolve(position);
		};
		geolocation.getCurrentPosition(
			({ coords }) => {
				const fix: StepPosition = {
					state: 'recorded',
					latitude: coords.latitude,
					longitude: coords.longitude,
					accuracyM: coords.accuracy
				};
				// A fix the server would refuse (a whole region wide) places the step nowhere.
				answer(stepPositionSchema.safeParse(fix).success ? fix : UNAVAILABLE);
			},
			(error) => answer(error.code === error.PERMISSION_DENIED ? { state: 'denied' } : UNAVAILABLE),
			FIX_OPTIONS
		);
	});
}

/** Whether the browser will ask the technician first (its Permissions API may be missing). */
async function permissionAsked(permissions: Permissions | undefined): Promise<boolean> {
	try {
		return (await permissions?.query({ name: 'geolocation' }))?.state === 'prompt';
	} catch {
		return false;
	}
}
