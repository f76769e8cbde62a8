/**
 * Finding the technician's jobs on the device, from IndexedDB alone (works offline). The pull
 * brings every job assigned to the technician, however old (server sync/pull.ts); only the
 * job list shows the last 30 days (tech/job-sections.ts). So search reads the whole store.
 *
 * Both lookups go through the indexes of db.ts (version 2), so a store of a few thousand jobs
 * reads only the jobs that match:
 * - search: the query, trimmed and in lower case, anywhere in the job number, customer name,
 *   phone or serial. Each index is walked with a key cursor (keys only, no job is read), then
 *   the matching jobs are read by id.
 * - earlier jobs: the same serial (trimmed, any case: kpi.md's "same device") or the same
 *   phone, reported before the job; two index lookups.
 */
import type { JobRecord } from '../../shared/sync';
import type { LocalDatabase } from '../local/db';

const SEARCHED = ['jobNo', 'customerName', 'customerPhone', 'deviceSerial'] as const;
/** Jobs shown for one search; a longer query narrows the rest. */
export const SEARCH_LIMIT = 50;
/** Earlier jobs shown per group on a job's page. */
export const EARLIER_LIMIT = 20;

const newestFirst = (a: JobRecord, b: JobRecord) =>
	b.reportedAt.getTime() - a.reportedAt.getTime() || b.jobNo.localeCompare(a.jobNo);

export async function searchJobs(
	db: LocalDatabase,
	query: string
): Promise<{ jobs: JobRecord[]; more: number }> {
	const wanted = query.trim().toLowerCase();
	if (!wanted) return { jobs: [], more: 0 };
	const ids = new Set<string>();
	await db.transaction('r', db.jobs, () =>
		Promise.all(
			SEARCHED.map((field) =>
				db.jobs.orderBy(field).eachKey((value, cursor) => {
					if (String(value).toLowerCase().includes(wanted)) ids.add(String(cursor.primaryKey));
				})
			)
		)
	);
	const found = (await db.jobs.bulkGet([...ids]))
		.filter((job): job is JobRecord => job !== undefined)
		.sort(newestFirst);
	return { jobs: found.slice(0, SEARCH_LIMIT), more: Math.max(0, found.length - SEARCH_LIMIT) };
}

/**
 * The device's and the customer's jobs reported before `job`, newest first: `device` those of
 * the same serial, `customer` those of the same phone not already in `device`.
 */
export async function earlierJobs(
	db: LocalDatabase,
	job: JobRecord
): Promise<{ device: JobRecord[]; customer: JobRecord[] }> {
	const serial = job.deviceSerial.trim();
	const phone = job.customerPhone.trim();
	const [sameDevice, sameCustomer] = await db.transaction('r', db.jobs, () =>
		Promise.all([
			serial ? db.jobs.where('deviceSerial').equalsIgnoreCase(serial).toArray() : [],
			phone ? db.jobs.where('customerPhone').equals(phone).toArray() : []
		])
	);
	const before = (other: JobRecord) =>
		other.id !== job.id && other.reportedAt.getTime() <= job.reportedAt.getTime();
	const device = sameDevice.filter(before).sort(newestFirst);
	const onDevice = new Set(device.map((other) => other.id));
	const customer = sameCustomer
		.filter((other) => before(other) && !onDevice.has(other.id))
		.sort(newestFirst);
	return { device: device.slice(0, EARLIER_LIMIT), customer: customer.slice(0, EARLIER_LIMIT) };
}
