/**
 * The pull in columns (`sync.pullColumns`, docs/sync.md "First sync"): `sync.pull`'s answer with
 * each table's rows as arrays in the fixed column order below and times as epoch milliseconds.
 * A first sync carries a technician's whole history: as objects, every row repeats every field
 * name, and every time needs superjson's annotation (its path, e.g. `changes.jobs.17.arrivedAt`),
 * which the server spends longer writing and the phone reading than the rows themselves. The
 * phone turns the answer back into `sync.pull`'s shape (client/sync/pull-columns.ts) and checks it
 * against pullOutputSchema as before. `sync.pull` stays for phones with an older app.
 */
import type { PullOutput } from './sync-records';

type Changes = PullOutput['changes'];

/** Each record's fields in wire order; a field whose name ends in `At` is a time (and only those). */
export const PULL_COLUMNS = {
	jobs: [
		'id',
		'jobNo',
		'technicianId',
		'customerName',
		'customerPhone',
		'customerAddress',
		'productModel',
		'deviceSerial',
		'faultCategoryId',
		'faultDescription',
		'reportedAt',
		'arrivedAt',
		'startedAt',
		'completedAt',
		'status',
		'outcome',
		'previousJobId',
		'notes',
		'verifiedAt',
		'updatedAt',
		'origin',
		'urgency',
		'assignedAt',
		'dispatched'
	],
	jobParts: ['id', 'jobId', 'partId', 'qty', 'unitCost', 'createdAt'],
	followUps: [
		'id',
		'jobId',
		'userId',
		'visitedAt',
		'channel',
		'satisfaction',
		'issueResolved',
		'comment'
	],
	parts: ['id', 'sku', 'name', 'unitCost', 'unit', 'active'],
	faultCategories: ['id', 'code', 'name', 'standardMinutes', 'active']
} as const satisfies { [K in keyof Changes]: readonly (keyof Changes[K][number])[] };

/** Every field of every record has its column: a field added to a record fails to compile here. */
type Uncovered = {
	[K in keyof Changes]: Exclude<keyof Changes[K][number], (typeof PULL_COLUMNS)[K][number]>;
}[keyof Changes];
const everyFieldHasItsColumn: [Uncovered] extends [never] ? true : Uncovered = true;
void everyFieldHasItsColumn;
