/**
 * The service receipt (服务单) a technician shows on the phone, shaped from what the device
 * holds, so it opens offline: the job, its part lines priced as recorded on them, its times,
 * and the customer's signature taken at completion on this device (a pull never brings one).
 */
import type { JobOutcome } from '../../shared/domain';
import { signaturePath } from '../../shared/signature';
import type { JobPartRecord, JobRecord, PartRecord } from '../../shared/sync';
import type { KeptSignature } from '../local/db';
import { lineTotal, sumMoney } from '../tech/money';

export interface ReceiptPartLine {
	id: string;
	/** Empty when the part has left the station's catalog since. */
	sku: string;
	name: string;
	unit: string;
	qty: string;
	unitPrice: string;
	amount: string;
}

export interface ServiceReceipt {
	stationName: string;
	jobNo: string;
	customer: { name: string; phone: string; address: string };
	device: { model: string; serial: string };
	fault: { category: string | null; description: string };
	work: { outcome: JobOutcome | null; notes: string };
	parts: ReceiptPartLine[];
	partsTotal: string;
	times: {
		reportedAt: Date;
		arrivedAt: Date | null;
		startedAt: Date | null;
		completedAt: Date | null;
	};
	/** The drawing as an SVG path in the signature box; null when the customer has not signed. */
	signature: { signerName: string; signedAt: Date; path: string } | null;
}

export function serviceReceipt(input: {
	stationName: string;
	job: JobRecord;
	categoryName: string | null;
	lines: readonly JobPartRecord[];
	catalog: ReadonlyMap<string, PartRecord>;
	signature: KeptSignature | undefined;
}): ServiceReceipt {
	const { job, catalog, signature } = input;
	const parts = [...input.lines]
		.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
		.map((line) => {
			const part = catalog.get(line.partId);
			return {
				id: line.id,
				sku: part?.sku ?? '',
				name: part?.name ?? '',
				unit: part?.unit ?? '',
				qty: line.qty,
				unitPrice: line.unitCost,
				amount: lineTotal(line.qty, line.unitCost)
			};
		});
	return {
		stationName: input.stationName,
		jobNo: job.jobNo,
		customer: { name: job.customerName, phone: job.customerPhone, address: job.customerAddress },
		device: { model: job.productModel, serial: job.deviceSerial },
		fault: { category: input.categoryName, description: job.faultDescription },
		work: { outcome: job.outcome, notes: job.notes },
		parts,
		partsTotal: sumMoney(parts.map((line) => line.amount)),
		times: {
			reportedAt: job.reportedAt,
			arrivedAt: job.arrivedAt,
			startedAt: job.startedAt,
			completedAt: job.completedAt
		},
		// A completion the server refused leaves the job open again: its signature signs nothing.
		signature:
			signature && job.status === 'completed'
				? {
						signerName: signature.signerName,
						signedAt: signature.signedAt,
						path: signaturePath(signature.strokes)
					}
				: null
	};
}
