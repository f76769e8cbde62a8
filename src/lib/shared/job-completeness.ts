/**
 * What a job made by a technician must name (issue 13: empty jobs dilute every rate): the
 * customer (name or phone), the device (model or serial) and the fault (category or
 * description). The server refuses a technician's job without them (jobs/service.ts newJobRow,
 * so the tRPC create and the push's fast path alike) and the phone's form says which is missing
 * before saving. Apart from schemas.ts: the desk and supervisors may open a job with less.
 */
export const JOB_ESSENTIALS = ['customer', 'device', 'fault'] as const;
export type JobEssential = (typeof JOB_ESSENTIALS)[number];

interface JobEssentials {
	customerName?: string;
	customerPhone?: string;
	productModel?: string;
	deviceSerial?: string;
	faultCategoryId?: string | null;
	faultDescription?: string;
}

const named = (...values: (string | null | undefined)[]) =>
	values.some((value) => (value ?? '').trim() !== '');

/** The essentials `job` leaves empty, in form order. */
export function missingEssentials(job: JobEssentials): JobEssential[] {
	const given: Record<JobEssential, boolean> = {
		customer: named(job.customerName, job.customerPhone),
		device: named(job.productModel, job.deviceSerial),
		fault: named(job.faultCategoryId, job.faultDescription)
	};
	return JOB_ESSENTIALS.filter((essential) => !given[essential]);
}
