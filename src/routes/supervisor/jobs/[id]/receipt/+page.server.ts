/**
 * /supervisor/jobs/[id]/receipt: the job's service receipt (服务单, issue 14) to show, print,
 * download as the server's PDF or send. Read from the server each time (printing and the PDF
 * need it), like the monthly report.
 */
import { readReceipt } from './receipt-request.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ receipt: await readReceipt(event) });
