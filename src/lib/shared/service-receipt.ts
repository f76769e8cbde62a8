/**
 * The service receipt (服务单, issue 14): what the customer is shown and given for one job: the
 * job, the customer, the device, the work done, the parts with their prices, the times and the
 * customer's signature. Read in one statement on the server (server/jobs/receipt.ts); the desk's
 * page, its print and the server's PDF all show this one shape.
 */
import type { JobOutcome, JobStatus } from './domain';
import {
	SIGNATURE_HEIGHT,
	SIGNATURE_WIDTH,
	signaturePath,
	type SignatureStrokes,
	type SignatureView
} from './signature';

/** One part line: money as decimal strings (numeric(12,2) in SQL, never a float). */
export interface ReceiptPart {
	name: string;
	sku: string;
	unit: string;
	/** The quantity as stored (numeric(12,3)), trailing zeros dropped: "2", "1.5". */
	qty: string;
	/** The catalog's price when the part was used (job_parts.unit_cost). */
	unitPrice: string;
	/** qty × unit price, rounded to cents in SQL. */
	lineTotal: string;
}

/** A time as the station's wall clock: "2026-03-02 09:30" in its time zone. */
export type StationClock = string;

export interface ServiceReceipt {
	jobId: string;
	jobNo: string;
	station: { name: string; timeZone: string };
	status: JobStatus;
	outcome: JobOutcome | null;
	customer: { name: string; phone: string; address: string };
	device: { model: string; serial: string };
	fault: { category: string | null; description: string };
	notes: string;
	technicianName: string | null;
	times: {
		reported: StationClock;
		arrived: StationClock | null;
		started: StationClock | null;
		completed: StationClock | null;
	};
	parts: ReceiptPart[];
	/** The sum of the line totals ("0.00" without parts). */
	partsTotal: string;
	signature: (SignatureView & { signedAtClock: StationClock }) | null;
}

/** The receipt's file name: the job number, made safe for every file system. */
export function receiptFileName(jobNo: string): string {
	return `${jobNo.replace(/[^\w.-]/g, '_')}.pdf`;
}

function escapeXml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(character) =>
			({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character]!
	);
}

/**
 * The signature as a standalone SVG document in its 1000 × 400 box, black ink on nothing: the
 * export's files folder writes it, the server's PDF draws it. The title names the signer.
 */
export function signatureSvg(strokes: SignatureStrokes, title: string): string {
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" width="${SIGNATURE_WIDTH}" height="${SIGNATURE_HEIGHT}" ` +
		`viewBox="0 0 ${SIGNATURE_WIDTH} ${SIGNATURE_HEIGHT}">` +
		`<title>${escapeXml(title)}</title>` +
		`<path d="${signaturePath(strokes)}" fill="none" stroke="#000" stroke-width="6" ` +
		`stroke-linecap="round" stroke-linejoin="round"/></svg>\n`
	);
}
