import { describe, expect, it } from 'vitest';
import {
	SIGNATURE_MAX_POINTS,
	SIGNATURE_MAX_STROKES,
	signatureStrokesSchema
} from '../../shared/signature';
import {
	extendStroke,
	fitToLimits,
	mayAddStroke,
	pointCount,
	simplifyStroke,
	toBoxPoint
} from './strokes';

describe('toBoxPoint', () => {
	const pad = { left: 20, top: 100, width: 320, height: 128 };

	it('scales the pad on the screen onto the 1000 × 400 box, in whole units', () => {
		expect(toBoxPoint(20, 100, pad)).toEqual([0, 0]);
		expect(toBoxPoint(340, 228, pad)).toEqual([1000, 400]);
		expect(toBoxPoint(180, 164, pad)).toEqual([500, 200]);
		// 1/320 of the width is 3.125 units: rounded.
		expect(toBoxPoint(21, 101, pad)).toEqual([3, 3]);
	});

	it('keeps a finger that slides past the edge on the edge', () => {
		expect(toBoxPoint(0, 50, pad)).toEqual([0, 0]);
		expect(toBoxPoint(400, 300, pad)).toEqual([1000, 400]);
	});
});

describe('extendStroke', () => {
	it('drops a point closer than 2 units to the last one kept', () => {
		const stroke: number[] = [];
		expect(extendStroke(stroke, [100, 100])).toBe(true);
		expect(extendStroke(stroke, [101, 101])).toBe(false);
		expect(extendStroke(stroke, [101, 102])).toBe(true);
		// Measured from the last point kept, not the last one seen.
		expect(extendStroke(stroke, [102, 103])).toBe(false);
		expect(extendStroke(stroke, [103, 102])).toBe(true);
		expect(stroke).toEqual([100, 100, 101, 102, 103, 102]);
	});
});

describe('mayAddStroke', () => {
	it('stops at the strokes a signature may have', () => {
		const strokes = Array.from({ length: SIGNATURE_MAX_STROKES - 1 }, () => [1, 1]);
		expect(mayAddStroke(strokes)).toBe(true);
		expect(mayAddStroke([...strokes, [2, 2]])).toBe(false);
	});
});

describe('simplifyStroke', () => {
	it('removes points on a straight line and keeps corners and ends', () => {
		const line = [0, 0, 10, 0, 20, 0, 30, 1, 40, 0, 40, 10, 40, 20];
		expect(simplifyStroke(line, 2)).toEqual([0, 0, 40, 0, 40, 20]);
		expect(simplifyStroke(line, 0.5)).toEqual([0, 0, 20, 0, 30, 1, 40, 0, 40, 20]);
	});

	it('leaves a dot and a single segment as they are', () => {
		expect(simplifyStroke([5, 5], 8)).toEqual([5, 5]);
		expect(simplifyStroke([5, 5, 9, 9], 8)).toEqual([5, 5, 9, 9]);
	});
});

describe('fitToLimits', () => {
	/** A wavy stroke of `points` points across the box, 3 units apart. */
	const wave = (points: number, phase: number) =>
		Array.from({ length: points }, (_, i) => [
			Math.round((i * 3) % 1000),
			Math.round(200 + 150 * Math.sin(i / 7 + phase))
		]).flat();

	it('returns a drawing within the limits unchanged', () => {
		const strokes = [wave(400, 0), wave(400, 1)];
		expect(fitToLimits(strokes)).toBe(strokes);
	});

	it('simplifies a drawing over the point limit until the shared schema accepts it', () => {
		const strokes = Array.from({ length: 10 }, (_, i) => wave(330, i));
		expect(pointCount(strokes)).toBeGreaterThan(SIGNATURE_MAX_POINTS);
		expect(signatureStrokesSchema.safeParse(strokes).success).toBe(false);
		const fitted = fitToLimits(strokes);
		expect(pointCount(fitted)).toBeLessThanOrEqual(SIGNATURE_MAX_POINTS);
		expect(signatureStrokesSchema.safeParse(fitted).success).toBe(true);
		// Every stroke is still there, from where it began to where it ended.
		expect(fitted).toHaveLength(10);
		fitted.forEach((stroke, i) => {
			expect(stroke.slice(0, 2)).toEqual(strokes[i].slice(0, 2));
			expect(stroke.slice(-2)).toEqual(strokes[i].slice(-2));
		});
	});
});
