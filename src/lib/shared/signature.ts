/**
 * The customer's signature at completion (issue 14): drawn with a finger, kept as vector strokes
 * with the name the customer typed beside it and the phone's clock when they signed. It travels
 * inside `job.complete` (lib/shared/sync.ts), so a completion and its signature arrive together,
 * exactly once; the server keeps it in job_signatures, which nothing that syncs or scores reads.
 * The phone's pad, the service receipt (phone, desk page, PDF) and the export's files folder all
 * draw it from these strokes with signaturePath.
 */
import { z } from 'zod/mini';
import { completeJobSchema, required, timeSchema } from './schemas';

/**
 * The drawing's coordinate box: the pad scales the finger's path into it, so every screen's
 * signature has one shape (a 5:2 strip, as on paper receipts) and integers suffice.
 */
export const SIGNATURE_WIDTH = 1000;
export const SIGNATURE_HEIGHT = 400;
/** Limits a real signature stays well inside; a hostile phone cannot send megabytes of ink. */
export const SIGNATURE_MAX_STROKES = 60;
export const SIGNATURE_MAX_POINTS = 2400;
export const SIGNER_NAME_MAX = 40;

/** Every point problem is the same to the customer: the pad never makes one. */
const OUTSIDE = `signature points are whole numbers inside the ${SIGNATURE_WIDTH} × ${SIGNATURE_HEIGHT} box`;

/**
 * One stroke is the finger's path from touch to lift: x0, y0, x1, y1, … (at least one point).
 * A single point is a dot.
 */
const strokeSchema = z
	.array(z.number().check(z.int(OUTSIDE), z.gte(0, OUTSIDE), z.lte(SIGNATURE_WIDTH, OUTSIDE)))
	.check(
		z.refine(
			(stroke) =>
				stroke.length >= 2 &&
				stroke.length % 2 === 0 &&
				stroke.every((value, i) => i % 2 === 0 || value <= SIGNATURE_HEIGHT),
			OUTSIDE
		)
	);

export const signatureStrokesSchema = z.array(strokeSchema).check(
	z.minLength(1),
	z.maxLength(SIGNATURE_MAX_STROKES),
	z.refine(
		(strokes) =>
			strokes.reduce((points, stroke) => points + stroke.length / 2, 0) <= SIGNATURE_MAX_POINTS,
		`at most ${SIGNATURE_MAX_POINTS} points`
	)
);
export type SignatureStrokes = z.infer<typeof signatureStrokesSchema>;

/** What `job.complete` carries when the customer signed. */
export const signatureSchema = z.strictObject({
	/** The name the customer typed beside the drawing. */
	signerName: required(SIGNER_NAME_MAX),
	/** The phone's clock when the customer signed. */
	signedAt: timeSchema,
	strokes: signatureStrokesSchema
});
export type Signature = z.infer<typeof signatureSchema>;

/** An online completion (tRPC jobs.complete): the sync's job.complete, signature included. */
export const signedCompletionSchema = /* @__PURE__ */ z.extend(completeJobSchema, {
	signature: z.optional(signatureSchema)
});
export type SignedCompletion = z.infer<typeof signedCompletionSchema>;

/** A job's signature as the receipt and the job pages show it. */
export interface SignatureView {
	signerName: string;
	signedAt: Date;
	strokes: SignatureStrokes;
}

/**
 * The strokes as one SVG path in the signature box (viewBox `0 0 SIGNATURE_WIDTH
 * SIGNATURE_HEIGHT`), drawn with round caps and joins so a single point shows as a dot.
 */
export function signaturePath(strokes: SignatureStrokes): string {
	return strokes
		.map((stroke) => {
			const points: string[] = [];
			for (let i = 0; i < stroke.length; i += 2) points.push(`${stroke[i]} ${stroke[i + 1]}`);
			return points.length === 1 ? `M${points[0]}l0 0` : `M${points.join('L')}`;
		})
		.join('');
}
