/**
 * The signature pad's geometry, apart from the canvas so it can be tested: a finger's path in
 * screen pixels becomes integer points in the shared signature box (lib/shared/signature.ts),
 * with points too close to the last one dropped as they come, and the whole drawing simplified
 * when it would exceed the shared limits (the server refuses more).
 */
import {
	SIGNATURE_HEIGHT,
	SIGNATURE_MAX_POINTS,
	SIGNATURE_MAX_STROKES,
	SIGNATURE_WIDTH,
	type SignatureStrokes
} from '../../shared/signature';

/** Closer than this (box units) to the last kept point adds nothing a receipt could show. */
export const MIN_POINT_DISTANCE = 2;

/** Where the pad is on the screen (a DOMRect's fields). */
export interface PadRect {
	left: number;
	top: number;
	width: number;
	height: number;
}

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, Math.round(value)));

/** A pointer's screen position as a point of the box: scaled, rounded, kept inside. */
export function toBoxPoint(clientX: number, clientY: number, rect: PadRect): [number, number] {
	return [
		clamp(((clientX - rect.left) / rect.width) * SIGNATURE_WIDTH, SIGNATURE_WIDTH),
		clamp(((clientY - rect.top) / rect.height) * SIGNATURE_HEIGHT, SIGNATURE_HEIGHT)
	];
}

/**
 * Adds a point to the stroke being drawn (x0, y0, x1, y1, …) unless it lies within
 * MIN_POINT_DISTANCE of the stroke's last point; true when added.
 */
export function extendStroke(stroke: number[], [x, y]: [number, number]): boolean {
	const n = stroke.length;
	if (n >= 2) {
		const dx = x - stroke[n - 2];
		const dy = y - stroke[n - 1];
		if (dx * dx + dy * dy < MIN_POINT_DISTANCE * MIN_POINT_DISTANCE) return false;
	}
	stroke.push(x, y);
	return true;
}

/** Another stroke may begin: the drawing has fewer than the strokes a signature may have. */
export function mayAddStroke(strokes: SignatureStrokes): boolean {
	return strokes.length < SIGNATURE_MAX_STROKES;
}

export function pointCount(strokes: SignatureStrokes): number {
	return strokes.reduce((points, stroke) => points + stroke.length / 2, 0);
}

/** Squared distance from point p to the segment a–b. */
function segmentDistance2(
	px: number,
	py: number,
	ax: number,
	ay: number,
	bx: number,
	by: number
): number {
	const dx = bx - ax;
	const dy = by - ay;
	const length2 = dx * dx + dy * dy;
	const t =
		length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
	const cx = ax + t * dx - px;
	const cy = ay + t * dy - py;
	return cx * cx + cy * cy;
}

/**
 * One stroke with the points that lie within `tolerance` of the line through their neighbours
 * removed (Ramer–Douglas–Peucker, iterative): its first and last points always stay.
 */
export function simplifyStroke(stroke: readonly number[], tolerance: number): number[] {
	const count = stroke.length / 2;
	if (count <= 2) return [...stroke];
	const keep = new Uint8Array(count);
	keep[0] = keep[count - 1] = 1;
	const ranges: Array<[number, number]> = [[0, count - 1]];
	const tolerance2 = tolerance * tolerance;
	for (let range = ranges.pop(); range; range = ranges.pop()) {
		const [first, last] = range;
		let farthest = -1;
		let farthestDistance = tolerance2;
		for (let i = first + 1; i < last; i++) {
			const distance = segmentDistance2(
				stroke[2 * i],
				stroke[2 * i + 1],
				stroke[2 * first],
				stroke[2 * first + 1],
				stroke[2 * last],
				stroke[2 * last + 1]
			);
			if (distance > farthestDistance) {
				farthest = i;
				farthestDistance = distance;
			}
		}
		if (farthest < 0) continue;
		keep[farthest] = 1;
		ranges.push([first, farthest], [farthest, last]);
	}
	const kept: number[] = [];
	for (let i = 0; i < count; i++) if (keep[i]) kept.push(stroke[2 * i], stroke[2 * i + 1]);
	return kept;
}

/**
 * The drawing within SIGNATURE_MAX_POINTS: unchanged when it already is, else simplified with
 * a tolerance doubled from one box unit until it fits (each stroke keeps its ends, so the
 * two-points-per-stroke floor, 120 points, is far below the limit).
 */
export function fitToLimits(strokes: SignatureStrokes): SignatureStrokes {
	let fitted = strokes;
	for (let tolerance = 1; pointCount(fitted) > SIGNATURE_MAX_POINTS; tolerance *= 2) {
		fitted = strokes.map((stroke) => simplifyStroke(stroke, tolerance));
	}
	return fitted;
}
