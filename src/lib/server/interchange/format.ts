/**
 * The files and columns of the interchange format (import-format.md, "Files"), in the
 * order an export writes them. `numeric` columns are numbers, written and read as they are;
 * every other cell is text, written safe from spreadsheet formulas (csv.ts).
 */

export const INTERCHANGE_FILES = {
	'technicians.csv': {
		columns: ['login', 'name', 'role'],
		required: ['login', 'name'],
		numeric: []
	},
	'fault_categories.csv': {
		columns: ['code', 'name', 'standard_minutes'],
		required: ['code', 'name'],
		numeric: ['standard_minutes']
	},
	'parts.csv': {
		columns: ['sku', 'name', 'unit_cost', 'unit'],
		required: ['sku', 'name', 'unit_cost'],
		numeric: ['unit_cost']
	},
	'jobs.csv': {
		columns: [
			'job_no',
			'technician_login',
			'reported_at',
			'status',
			'customer_name',
			'customer_phone',
			'customer_address',
			'product_model',
			'device_serial',
			'fault_category',
			'fault_description',
			'arrived_at',
			'started_at',
			'completed_at',
			'outcome',
			'previous_job_no',
			'notes'
		],
		required: ['job_no', 'technician_login', 'reported_at', 'status'],
		numeric: []
	},
	'job_parts.csv': {
		columns: ['job_no', 'sku', 'qty', 'unit_cost'],
		required: ['job_no', 'sku', 'qty'],
		numeric: ['qty', 'unit_cost']
	},
	'follow_ups.csv': {
		// `source` amends import-format.md (docs/kpi-rules.md): who recorded the follow-up, since
		// a technician's own is never scored. Blank or absent: `import`.
		columns: [
			'job_no',
			'visited_at',
			'channel',
			'satisfaction',
			'issue_resolved',
			'comment',
			'source'
		],
		required: ['job_no', 'visited_at'],
		numeric: ['satisfaction']
	}
} as const;

/**
 * Columns an export writes only when some row has a value in them, so a station without such
 * values exports the very files the contract's columns describe (and earlier releases wrote).
 */
export const WRITTEN_WHEN_USED: ReadonlySet<string> = new Set(['source']);

export type InterchangeFile = keyof typeof INTERCHANGE_FILES;
export type ColumnOf<F extends InterchangeFile> = (typeof INTERCHANGE_FILES)[F]['columns'][number];

export const INTERCHANGE_FILE_NAMES = Object.keys(INTERCHANGE_FILES) as InterchangeFile[];

/** The one file a folder must have. */
export const REQUIRED_FILE: InterchangeFile = 'jobs.csv';

export function isInterchangeFile(name: string): name is InterchangeFile {
	return Object.hasOwn(INTERCHANGE_FILES, name);
}
