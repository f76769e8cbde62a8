import { getLocale } from '$lib/paraglide/runtime';
import { receiptPdf } from '$lib/server/jobs/receipt-pdf';
import { receiptFileName } from '$lib/shared/service-receipt';
import { attachment } from '../../../report/report-request.server';
import { readReceipt } from '../receipt/receipt-request.server';
import type { RequestHandler } from './$types';

/** The job's service receipt as a PDF made on the server, in the reader's language. */
export const GET: RequestHandler = async (event) => {
	const receipt = await readReceipt(event);
	const pdf = await receiptPdf(receipt, getLocale());
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': attachment(receiptFileName(receipt.jobNo)),
			'cache-control': 'private, no-store'
		}
	});
};
