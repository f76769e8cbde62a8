/**
 * The position a tap records (locate-step.ts): the fix when it comes within the wait, a refusal
 * as denied, anything else as unavailable, and never a value the server would refuse.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIX_WAIT_MS, locateStep, PERMISSION_WAIT_MS } from './locate-step';

const PERMISSION_DENIED = 1;
const POSITION_UNAVAILABLE = 2;

type Answer =
	{ fix: { latitude: number; longitude: number; accuracy: number } } | { error: number } | 'never';

/** A phone's geolocation that answers after `delay` ms, and what it was asked for. */
function phone(answer: Answer, delay = 0) {
	const asked: PositionOptions[] = [];
	const geolocation = {
		getCurrentPosition(
			success: PositionCallback,
			failure: PositionErrorCallback,
			options: PositionOptions
		) {
			asked.push(options);
			if (answer === 'never') return;
			setTimeout(() => {
				if ('fix' in answer) success({ coords: answer.fix } as GeolocationPosition);
				else failure({ code: answer.error, PERMISSION_DENIED } as GeolocationPositionError);
			}, delay);
		}
	} as unknown as Geolocation;
	return { geolocation, asked };
}

const permission = (state: PermissionState) =>
	({ query: async () => ({ state }) }) as unknown as Permissions;

describe('locateStep', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('records the fix with its accuracy, asking for a precise one at most a minute old', async () => {
		const { geolocation, asked } = phone({
			fix: { latitude: 31.23, longitude: 121.47, accuracy: 8 }
		});
		const position = locateStep({ geolocation, permissions: permission('granted') });
		await vi.advanceTimersByTimeAsync(10);
		expect(await position).toEqual({
			state: 'recorded',
			latitude: 31.23,
			longitude: 121.47,
			accuracyM: 8
		});
		expect(asked).toEqual([{ enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 }]);
	});

	it('says denied when the technician refused, unavailable when the phone could not tell', async () => {
		const refused = locateStep(phone({ error: PERMISSION_DENIED }));
		const lost = locateStep(phone({ error: POSITION_UNAVAILABLE }));
		await vi.advanceTimersByTimeAsync(10);
		expect(await refused).toEqual({ state: 'denied' });
		expect(await lost).toEqual({ state: 'unavailable' });
		expect(await locateStep({})).toEqual({ state: 'unavailable' });
	});

	it('waits a few seconds for a fix, then records the step without one', async () => {
		const late = locateStep({
			...phone({ fix: { latitude: 1, longitude: 2, accuracy: 3 } }, FIX_WAIT_MS + 500),
			permissions: permission('granted')
		});
		await vi.advanceTimersByTimeAsync(FIX_WAIT_MS);
		expect(await late).toEqual({ state: 'unavailable' });
		const silent = locateStep(phone('never'));
		await vi.advanceTimersByTimeAsync(FIX_WAIT_MS);
		expect(await silent).toEqual({ state: 'unavailable' });
	});

	it('waits for the technician’s answer while the browser asks for permission', async () => {
		const answered = locateStep({
			...phone({ fix: { latitude: 1, longitude: 2, accuracy: 3 } }, FIX_WAIT_MS * 3),
			permissions: permission('prompt')
		});
		await vi.advanceTimersByTimeAsync(FIX_WAIT_MS * 3);
		expect(await answered).toMatchObject({ state: 'recorded' });
		const ignored = locateStep({ ...phone('never'), permissions: permission('prompt') });
		await vi.advanceTimersByTimeAsync(PERMISSION_WAIT_MS);
		expect(await ignored).toEqual({ state: 'unavailable' });
	});

	it('never sends a fix the server would refuse', async () => {
		const vague = locateStep(phone({ fix: { latitude: 1, longitude: 2, accuracy: 250_000 } }));
		await vi.advanceTimersByTimeAsync(10);
		expect(await vague).toEqual({ state: 'unavailable' });
	});
});
