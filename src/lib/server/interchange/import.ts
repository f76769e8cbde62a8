/**
 * Importing a folder of interchange files into a station (import-format.md), all or nothing.
 *
 * 1. Every file is read once (table.ts): decoded, parsed, its header checked, its keys (login,
 *    code, sku, job_no) collected. Structural problems stop here: the values of a table whose
 *    columns are wrong cannot be read meaningfully. Nothing of the database is held.
 * 2. In one transaction (the station row locked, so two imports into one station queue), each
 *    file is read again row by row: every row is checked against the station (values,
 *    references, uniqueness) and streamed by COPY into a staging table (db/staging.ts). No
 *    file's rows are held in memory, only the keys, so a million jobs import in bounded memory.
 *    Any problem ends the import with nothing but the staging tables written (and dropped).
 * 3. Set-based SQL merges the staging tables into the station, writing only what changed.
 *
 * Problems are codes with parameters (problems.ts), rendered in the reader's language as
 * `file:line: column: reason`; only the first MAX_LISTED_PROBLEMS are kept. The work is
 * bounded (IMPORT_LIMITS) and done in slices (pause.ts), so that an import of any shape never
 * holds up the other requests of the server for long.
 *
 * Rules the format leaves open, decided here:
 * - A column missing from a file leaves that column of existing rows as it is (new rows get
 *   the default); an empty cell means "no value" (or the column's default, e.g. role).
 * - job_parts.csv / follow_ups.csv, when present, replace the part lines / follow-ups of every
 *   job in jobs.csv and of every job they name; when absent, existing ones stay untouched.
 * - Roles: `technician` or `supervisor`, as import-format.md says: a file gives no desk role
 *   (`dispatcher`, made in the admin pages), and export writes no desk account, so a station's
 *   round trip leaves its desk alone. Administrators' accounts (admin, system_admin) are
 *   never created or changed by a file. Who imports matters for the rest (roles.md): a
 *   supervisor's upload may add technicians but neither create a supervisor nor change an
 *   existing account's role; an administrator or the command line may. New accounts and role
 *   changes are audited as account changes, and a changed role ends that account's sessions.
 * - When the station exists, a given name or time zone must match it: an import never
 *   renames a station or moves it to another zone (local timestamps would change meaning).
 * - Enumerations (status, outcome, channel, role) are read in any letter case.
 * - Values are trimmed, except the free text of jobs and follow-ups (customer, address,
 *   serial, descriptions, notes, comments), which is kept as written (RFC 4180 counts spaces
 *   as part of a value, and an export writes them). A cell of only spaces is empty.
 */
import { FOLLOW_UP_SOURCES } from '../../shared/honesty-domain';
import { eq, getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Database, Transaction } from '../db';
import { upsertStaged, type BulkRow, type UpsertCounts } from '../db/bulk';
import { stageRows, type StagedTable } from '../db/staging';
import { postgresError } from '../db/errors';
import { queryRows } from '../db/rows';
import { faultCategories, followUps, jobParts, jobs, parts, stations, users } from '../db/schema';
import { insertFirstSettingsVersion } from '../stations/settings/versions';
import {
	assignableRoles,
	recordAccountChanges,
	type AccountActor,
	type AuditedChange
} from '../auth/accounts';
import { invalidateUserSessions } from '../auth/sessions';
import {
	FOLLOW_UP_CHANNELS,
	JOB_OUTCOMES,
	JOB_STATUSES,
	type JobStatus,
	type UserRole
} from '../../shared/domain';
import { DEFAULT_STANDARD_MINUTES } from '../../shared/kpi';
import {
	addFollowUpSchema,
	jobFieldsSchema,
	newJobSchema,
	newStationSchema,
	newUserSchema,
	partSchema,
	stationCodeSchema
} from '../../shared/schemas';
import {
	INTERCHANGE_FILE_NAMES,
	REQUIRED_FILE,
	isInterchangeFile,
	type ColumnOf,
	type InterchangeFile
} from './format';
import { WorkSlicer } from './pause';
import { ProgressReporter, type ImportProgress } from './progress';
import { echo, ProblemList, type ProblemReport } from './problems';
import { RowReader, optional, optionalAsWritten, required } from './rows';
import { openTable, type FileContent, type KeyedRow, type Table } from './table';
import { parseTimestamp } from './time';
import { uuidV7Source } from './uuid';
import {
	parseBoolean,
	parseChoice,
	parseInteger,
	parseLogin,
	parseMoney,
	parseQuantity,
	parseText
} from './values';

interface ImportTarget {
	/** The station to import into; created when no station has this code. */
	stationCode: string;
	/** For a new station; default: the code. */
	stationName?: string;
	/** For a new station; default: Asia/Shanghai. Local timestamps are read in this zone. */
	timeZone?: string;
}

/** File name → content (text, or the raw bytes, which must be UTF-8). */
export type ImportFiles = Record<string, FileContent>;

export interface ReplacedCounts {
	/** Existing rows of the jobs that the files no longer have. */
	removed: number;
	/** Rows of the files that the station did not have yet. */
	written: number;
	/** Rows of the files equal to an existing one, which is kept as it is. */
	unchanged: number;
}

export interface ImportSummary {
	/** True when nothing was kept: the counts say what the import would do. */
	dryRun: boolean;
	station: { code: string; name: string; timeZone: string; created: boolean };
	technicians: UpsertCounts;
	faultCategories: UpsertCounts;
	parts: UpsertCounts;
	jobs: UpsertCounts;
	/** null: the folder had no job_parts.csv, so part lines were left alone. */
	partLines: ReplacedCounts | null;
	/** null: the folder had no follow_ups.csv, so follow-ups were left alone. */
	followUps: ReplacedCounts | null;
}

export type ImportResult = { ok: true; summary: ImportSummary } | ({ ok: false } & ProblemReport);

/** Who imports: decides which roles technicians.csv may give, and signs the audit. */
interface ImportOptions {
	/** Default: the command line (the server's operator). */
	actor?: AccountActor;
	/**
	 * Check and write everything as an import would, then roll it all back: the summary tells
	 * what the import would add, change and remove, and nothing is kept.
	 */
	dryRun?: boolean;
	/** Told how far the import is, a few times a second at most. */
	onProgress?: (progress: ImportProgress) => void;
	/**
	 * Rows one file may have; default IMPORT_LIMITS.rows, which bounds what an upload costs the
	 * server. The command line, run by the server's operator, allows far more.
	 */
	maxRows?: number;
}

/** Thrown to roll back a dry run's transaction, carrying what it would have done. */
class DryRunDone {
	constructor(readonly summary: ImportSummary) {}
}

const IMPORT_COMMAND_LINE: AccountActor = { kind: 'command_line', label: 'import (command line)' };

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/**
 * A job with an empty technician_login is one the desk has not dispatched yet, which only an
 * open or cancelled job can be (the jobs_assigned_unless_open constraint).
 */
const UNASSIGNED_STATUSES: ReadonlySet<JobStatus> = new Set(['open', 'cancelled']);

const IMPORTABLE_ROLES = ['technician', 'supervisor'] as const satisfies readonly UserRole[];
/** The catalog's unit when a part names none (the database default). */
const DEFAULT_UNIT = '个';
const MAX_STANDARD_MINUTES = 10_000;
const MAX_CATEGORY_CODE = 32;
const MAX_CATEGORY_NAME = 100;

/** A string schema's maxLength check (the shared schemas are zod/mini: no `.maxLength` getter). */
const maxLength = (schema: z.core.$ZodType) =>
	Math.min(
		Number.MAX_SAFE_INTEGER,
		...(schema._zod.def.checks ?? [])
			.map((check) => check._zod.def)
			.filter((def) => def.check === 'max_length')
			.map((def) => (def as z.core.$ZodCheckMaxLengthDef).maximum)
	);
/** The app's own limits (shared/schemas.ts), so imported records stay editable in the app. */
const LIMITS = {
	userName: maxLength(newUserSchema.shape.name),
	sku: maxLength(partSchema.shape.sku),
	partName: maxLength(partSchema.shape.name),
	unit: maxLength(partSchema.shape.unit.def.innerType),
	jobNo: maxLength(newJobSchema.shape.jobNo),
	customerName: maxLength(jobFieldsSchema.shape.customerName.def.innerType),
	customerPhone: maxLength(jobFieldsSchema.shape.customerPhone.def.innerType),
	customerAddress: maxLength(jobFieldsSchema.shape.customerAddress.def.innerType),
	productModel: maxLength(jobFieldsSchema.shape.productModel.def.innerType),
	deviceSerial: maxLength(jobFieldsSchema.shape.deviceSerial.def.innerType),
	faultDescription: maxLength(jobFieldsSchema.shape.faultDescription.def.innerType),
	notes: maxLength(jobFieldsSchema.shape.notes.def.innerType),
	comment: maxLength(addFollowUpSchema.shape.comment.def.innerType)
};
const STATION_CODE_MAX = maxLength(stationCodeSchema.def.in);
const STATION_NAME_MAX = maxLength(newStationSchema.shape.name);

export async function importStationFiles(
	db: Database,
	target: ImportTarget,
	files: ImportFiles,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const actor = options.actor ?? IMPORT_COMMAND_LINE;
	const problems = new ProblemList();
	const slicer = new WorkSlicer();
	const progress = new ProgressReporter(options.onProgress);
	const station = readTarget(target, problems);
	const tables = await readTables(files, problems, slicer, progress, options.maxRows);
	if (!station || problems.count > 0) return { ok: false, ...problems.report() };

	try {
		return await db.transaction(async (tx): Promise<ImportResult> => {
			// The station row locked: two imports into one station queue.
			const state = await loadStation(tx, station, tables['jobs.csv']?.keys);
			const planner = new ImportPlanner(state, station, tables, actor, progress, slicer);
			const plan = await planner.stage(tx);
			// Nothing but the transaction's own staging tables was written.
			if (!plan) return { ok: false, ...planner.problems.report() };
			const summary = await writePlan(tx, plan, progress, options.dryRun ?? false);
			if (summary.dryRun) throw new DryRunDone(summary);
			return { ok: true, summary };
		});
	} catch (error) {
		if (error instanceof DryRunDone) return { ok: true, summary: error.summary };
		const rule = databaseRefusal(error);
		if (rule === null) throw error;
		const refusal = new ProblemList();
		refusal.about({ place: 'database' }, 'database_refused', { rule });
		return { ok: false, ...refusal.report() };
	}
}

interface StationRequest {
	code: string;
	/** Given by the caller (not defaulted): compared with an existing station's. */
	name: string | null;
	timeZone: string | null;
}

function readTarget(target: ImportTarget, problems: ProblemList): StationRequest | null {
	const code = stationCodeSchema.safeParse(target.stationCode);
	const name = zm.optional(newStationSchema.shape.name).safeParse(target.stationName);
	const timeZone = zm.optional(newStationSchema.shape.timeZone).safeParse(target.timeZone);
	// The schemas' own messages are English; each failure is named by what went wrong.
	const failure = (result: { error?: { issues: { code: string }[] } }) =>
		result.error?.issues[0].code;
	if (!code.success) {
		const place = { place: 'station_code' } as const;
		const issue = failure(code);
		if (String(target.stationCode ?? '').trim() === '') {
			problems.about(place, 'station_code_required');
		} else if (issue === 'too_big') {
			problems.about(place, 'station_code_too_long', { max: STATION_CODE_MAX });
		} else {
			problems.about(place, 'station_code_chars');
		}
	}
	if (!name.success) {
		const place = { place: 'station_name' } as const;
		if (String(target.stationName ?? '').trim() === '')
			problems.about(place, 'station_name_required');
		else problems.about(place, 'station_name_invalid', { max: STATION_NAME_MAX });
	}
	if (!timeZone.success) {
		const place = { place: 'time_zone' } as const;
		if (String(target.timeZone ?? '').trim() === '') problems.about(place, 'time_zone_required');
		else problems.about(place, 'time_zone_unknown', { value: echo(String(target.timeZone)) });
	}
	if (!code.success || !name.success || !timeZone.success) return null;
	return { code: code.data, name: name.data ?? null, timeZone: timeZone.data ?? null };
}

type Tables = { [F in InterchangeFile]?: Table<F> };

/** The column that names each row of a file, unique in it; part lines and follow-ups have none. */
const KEY_COLUMNS: { [F in InterchangeFile]?: ColumnOf<F> } = {
	'technicians.csv': 'login',
	'fault_categories.csv': 'code',
	'parts.csv': 'sku',
	'jobs.csv': 'job_no'
};

async function readTables(
	files: ImportFiles,
	problems: ProblemList,
	slicer: WorkSlicer,
	progress: ProgressReporter,
	maxRows?: number
): Promise<Tables> {
	const tables: Tables = {};
	for (const [name, content] of Object.entries(files)) {
		if (!isInterchangeFile(name)) {
			problems.at(echo(name), 1, { place: 'file' }, 'unknown_file', {
				files: INTERCHANGE_FILE_NAMES.join(', ')
			});
			continue;
		}
		// Each file name maps to its own table type; TypeScript cannot follow that through a loop.
		(tables as Record<string, unknown>)[name] = await openTable(
			name,
			content,
			problems,
			slicer,
			progress,
			maxRows,
			KEY_COLUMNS[name]
		);
	}
	if (!Object.hasOwn(files, REQUIRED_FILE)) {
		problems.at(REQUIRED_FILE, 1, { place: 'file' }, 'missing_file');
	}
	return tables;
}

interface StationState {
	station: { id: string; code: string; name: string; timeZone: string } | null;
	users: Map<string, { id: string; role: UserRole }>;
	categories: Map<string, string>;
	parts: Map<string, { id: string; unitCost: string }>;
	/** The station's jobs that jobs.csv does not name (its own have their ids in its keys). */
	jobs: Map<string, string>;
}

/** Existing jobs read per round trip: a station's million jobs never sit in memory as rows. */
const JOB_PAGE = 50_000;

/**
 * The station's keys, the station row locked (another import of it queues). The jobs of
 * jobs.csv get their existing ids into the file's keys; only the station's other jobs (which a
 * part line or a revisit may name) are kept apart, so a re-import of a whole station holds each
 * job number once.
 */
async function loadStation(
	tx: Transaction,
	request: StationRequest,
	folderJobs: Map<string, KeyedRow> | undefined
): Promise<StationState> {
	const [station] = await queryRows<{ id: string; code: string; name: string; timeZone: string }>(
		tx,
		sql`SELECT id::text AS id, code, name, time_zone AS "timeZone"
			FROM stations WHERE code = ${request.code} FOR UPDATE`
	);
	const state: StationState = {
		station: station ?? null,
		users: new Map(),
		categories: new Map(),
		parts: new Map(),
		jobs: new Map()
	};
	if (!station) return state;
	const stationId = station.id;
	const [userRows, categoryRows, partRows] = [
		await tx
			.select({ id: users.id, login: users.login, role: users.role })
			.from(users)
			.where(eq(users.stationId, stationId)),
		await tx
			.select({ id: faultCategories.id, code: faultCategories.code })
			.from(faultCategories)
			.where(eq(faultCategories.stationId, stationId)),
		await tx
			.select({ id: parts.id, sku: parts.sku, unitCost: parts.unitCost })
			.from(parts)
			.where(eq(parts.stationId, stationId))
	];
	for (const user of userRows) state.users.set(user.login, { id: user.id, role: user.role });
	for (const category of categoryRows) state.categories.set(category.code, category.id);
	for (const part of partRows) state.parts.set(part.sku, { id: part.id, unitCost: part.unitCost });
	for (let after = ''; ;) {
		const page = await queryRows<{ id: string; jobNo: string }>(
			tx,
			sql`SELECT id::text AS id, job_no AS "jobNo" FROM jobs
				WHERE station_id = ${stationId}::uuid ${after ? sql`AND id > ${after}::uuid` : sql``}
				ORDER BY id LIMIT ${JOB_PAGE}`
		);
		for (const job of page) {
			const keyed = folderJobs?.get(job.jobNo);
			if (keyed) keyed.id = job.id;
			else state.jobs.set(job.jobNo, job.id);
		}
		if (page.length < JOB_PAGE) break;
		after = page[page.length - 1].id;
	}
	return state;
}

interface ImportPlan {
	station: { id: string; code: string; name: string; timeZone: string; create: boolean };
	users: { staged: StagedTable; update: ('name' | 'role')[] };
	/** New accounts and changed roles: audited, and a changed role ends the sessions. */
	accountChanges: AuditedChange[];
	categories: { staged: StagedTable; update: ('name' | 'standardMinutes')[] };
	parts: { staged: StagedTable; update: ('name' | 'unitCost' | 'unit')[] };
	jobs: { staged: StagedTable; update: (keyof BulkRow<typeof jobs> & string)[] };
	/** null when the folder has no such file. */
	partLines: StagedTable | null;
	followUps: StagedTable | null;
}

/** A file's rows, staged; `keys` must be every property its rows may have. */
type RowSource<T extends PgTable> = {
	keys: (keyof BulkRow<T> & string)[];
	rows: AsyncIterable<BulkRow<T>>;
};

const JOB_FIXED_KEYS = [
	'stationId',
	'id',
	'jobNo',
	'technicianId',
	'origin',
	'reportedAt',
	'status',
	'outcome'
] as const satisfies readonly (keyof BulkRow<typeof jobs>)[];

/** The jobs' properties written only when the file has their column. */
const JOB_OPTIONAL_KEYS = {
	customer_name: 'customerName',
	customer_phone: 'customerPhone',
	customer_address: 'customerAddress',
	product_model: 'productModel',
	device_serial: 'deviceSerial',
	fault_category: 'faultCategoryId',
	fault_description: 'faultDescription',
	arrived_at: 'arrivedAt',
	started_at: 'startedAt',
	completed_at: 'completedAt',
	previous_job_no: 'previousJobId',
	notes: 'notes'
} as const satisfies Partial<Record<ColumnOf<'jobs.csv'>, keyof BulkRow<typeof jobs>>>;

const PART_LINE_KEYS = ['stationId', 'id', 'jobId', 'partId', 'qty', 'unitCost'] as const;
const FOLLOW_UP_KEYS = [
	'stationId',
	'id',
	'jobId',
	'visitedAt',
	'channel',
	'source',
	'satisfaction',
	'issueResolved',
	'comment'
] as const;

/**
 * A file's keys (found by its first pass, with the line of each) and the id each is given at
 * first use: the station's existing row's, else a new one (a million job numbers get theirs as
 * their rows are checked, in slices of work).
 */
class FileKeys {
	constructor(
		private readonly keys: Map<string, KeyedRow>,
		private readonly existing: (key: string) => string | undefined,
		private readonly newId: () => string
	) {}

	get(key: string): KeyedRow | undefined {
		return this.keys.get(key);
	}

	has(key: string): boolean {
		return this.keys.has(key);
	}

	idOf(key: string): string {
		const keyed = this.keys.get(key);
		if (!keyed) throw new Error(`No id was assigned to key "${key}"`);
		if (keyed.id === '') keyed.id = this.existing(key) ?? this.newId();
		return keyed.id;
	}

	/** The id of a key another row names: the file's row's, else the station's, else none. */
	named(key: string): string | undefined {
		return this.keys.has(key) ? this.idOf(key) : this.existing(key);
	}
}

/**
 * Checks every row against the station's state and stages the rows to write, one file at a
 * time as it is read again (staging.ts): no file's rows are held in memory, only its keys.
 */
class ImportPlanner {
	readonly problems = new ProblemList();
	private readonly newId = uuidV7Source();
	private readonly stationId: string;
	private readonly timeZone: string;
	private readonly folderUsers: FileKeys;
	private readonly folderCategories: FileKeys;
	private readonly folderParts: FileKeys;
	/** parts.csv's unit cost of each valid row's sku, the part lines' default. */
	private readonly folderPartCosts = new Map<string, string | null>();
	private readonly folderJobs: FileKeys;
	private readonly accountChanges: AuditedChange[] = [];

	constructor(
		private readonly state: StationState,
		private readonly request: StationRequest,
		private readonly tables: Tables,
		private readonly actor: AccountActor,
		private readonly progress: ProgressReporter,
		private readonly slicer: WorkSlicer
	) {
		this.stationId = state.station?.id ?? this.newId();
		this.timeZone = state.station?.timeZone ?? request.timeZone ?? DEFAULT_TIME_ZONE;
		const keys = (
			table: Table<InterchangeFile> | undefined,
			existing: (key: string) => string | undefined
		) => new FileKeys(table?.keys ?? new Map(), existing, this.newId);
		this.folderUsers = keys(tables['technicians.csv'], (login) => state.users.get(login)?.id);
		this.folderCategories = keys(tables['fault_categories.csv'], (code) =>
			state.categories.get(code)
		);
		this.folderParts = keys(tables['parts.csv'], (sku) => state.parts.get(sku)?.id);
		this.folderJobs = keys(tables['jobs.csv'], (jobNo) => state.jobs.get(jobNo));
	}

	/** Every file checked and staged in turn; null when any row has a problem. */
	async stage(tx: Transaction): Promise<ImportPlan | null> {
		const station = this.planStation();
		const staging = <T extends PgTable>(table: T, source: RowSource<T>) =>
			stageRows(tx, `import_${getTableName(table)}`, table, source.keys, source.rows);
		const usersPlan = this.planUsers();
		const categories = this.planCategories();
		const partsPlan = this.planParts();
		const jobsPlan = this.planJobs();
		const plan: ImportPlan = {
			station,
			users: { staged: await staging(users, usersPlan.source), update: usersPlan.update },
			accountChanges: this.accountChanges,
			categories: {
				staged: await staging(faultCategories, categories.source),
				update: categories.update
			},
			parts: { staged: await staging(parts, partsPlan.source), update: partsPlan.update },
			jobs: { staged: await staging(jobs, jobsPlan.source), update: jobsPlan.update },
			partLines: this.tables['job_parts.csv']
				? await staging(jobParts, this.planPartLines())
				: null,
			followUps: this.tables['follow_ups.csv']
				? await staging(followUps, this.planFollowUps())
				: null
		};
		return this.problems.count === 0 ? plan : null;
	}

	private planStation(): ImportPlan['station'] {
		const existing = this.state.station;
		const { code, name, timeZone } = this.request;
		if (!existing) {
			return {
				id: this.stationId,
				code,
				name: name ?? code,
				timeZone: this.timeZone,
				create: true
			};
		}
		if (name !== null && name !== existing.name) {
			this.problems.about({ place: 'station_name' }, 'station_renamed', {
				code,
				existing: existing.name,
				given: name
			});
		}
		if (timeZone !== null && timeZone !== existing.timeZone) {
			this.problems.about({ place: 'time_zone' }, 'station_zone_changed', {
				code,
				existing: existing.timeZone,
				given: timeZone
			});
		}
		return { ...existing, create: false };
	}

	/**
	 * Each row of a table through a reader, in slices of work; a repeated key is reported on its
	 * later lines.
	 */
	private async *rows<F extends InterchangeFile>(
		table: Table<F> | undefined,
		key?: { column: ColumnOf<F>; keys: FileKeys }
	): AsyncGenerator<RowReader<F>> {
		if (!table) return;
		let done = 0;
		for await (const row of table.rows()) {
			await this.slicer.maybe();
			this.progress.at('checking', table.file, (done += 1));
			const reader = new RowReader(table, row, this.problems);
			if (key) {
				const value = reader.text(key.column);
				const first = key.keys.get(value);
				if (first && first.line !== row.line) {
					reader.report(key.column, 'duplicate_key', { value: echo(value), line: first.line });
				}
			}
			yield reader;
		}
	}

	private planUsers() {
		const table = this.tables['technicians.csv'];
		const hasRole = table?.columns.has('role') ?? false;
		const keys: RowSource<typeof users>['keys'] = ['stationId', 'id', 'login', 'name'];
		return {
			source: {
				keys: hasRole ? [...keys, 'role' as const] : keys,
				rows: this.userRows(table, hasRole)
			},
			update: (hasRole ? ['name', 'role'] : ['name']) satisfies ImportPlan['users']['update']
		};
	}

	private async *userRows(
		table: Table<'technicians.csv'> | undefined,
		hasRole: boolean
	): AsyncGenerator<BulkRow<typeof users>> {
		for await (const r of this.rows(table, { column: 'login', keys: this.folderUsers })) {
			const values = r.read({
				login: required(parseLogin),
				name: required(text(LIMITS.userName)),
				role: optional((t) => parseChoice(t, IMPORTABLE_ROLES))
			});
			const existing = this.state.users.get(r.text('login'));
			const role = hasRole ? (values?.role ?? 'technician') : null;
			const may = assignableRoles(this.actor);
			if (existing?.role === 'admin' || existing?.role === 'system_admin') {
				r.report('login', 'admin_account', { value: echo(r.text('login')) });
			} else if (values && role && !existing && role !== 'technician' && !may.includes(role)) {
				r.report('role', 'role_create_forbidden', { role });
			} else if (
				values &&
				role &&
				existing &&
				existing.role !== role &&
				!(may.includes(existing.role) && may.includes(role))
			) {
				r.report('role', 'role_change_forbidden', {
					value: echo(values.login),
					from: existing.role,
					to: role
				});
			}
			if (!values || !r.ok) continue;
			const id = this.folderUsers.idOf(values.login);
			const change = { actor: this.actor, reason: `technicians.csv line ${r.line}` };
			const target = { id, stationId: this.stationId };
			if (!existing) {
				const after = { login: values.login, name: values.name, role: role ?? 'technician' };
				this.accountChanges.push({ target, change, action: 'create', before: null, after });
			} else if (role && existing.role !== role) {
				this.accountChanges.push({
					target,
					change,
					action: 'role_change',
					before: { role: existing.role },
					after: { role }
				});
			}
			yield {
				stationId: this.stationId,
				id,
				login: values.login,
				name: values.name,
				...(role ? { role } : {})
			};
		}
	}

	private planCategories() {
		const table = this.tables['fault_categories.csv'];
		const hasMinutes = table?.columns.has('standard_minutes') ?? false;
		const keys: RowSource<typeof faultCategories>['keys'] = ['stationId', 'id', 'code', 'name'];
		return {
			source: {
				keys: hasMinutes ? [...keys, 'standardMinutes' as const] : keys,
				rows: this.categoryRows(table, hasMinutes)
			},
			update: (hasMinutes
				? ['name', 'standardMinutes']
				: ['name']) satisfies ImportPlan['categories']['update']
		};
	}

	private async *categoryRows(
		table: Table<'fault_categories.csv'> | undefined,
		hasMinutes: boolean
	): AsyncGenerator<BulkRow<typeof faultCategories>> {
		for await (const r of this.rows(table, { column: 'code', keys: this.folderCategories })) {
			const values = r.read({
				code: required(text(MAX_CATEGORY_CODE)),
				name: required(text(MAX_CATEGORY_NAME)),
				standard_minutes: optional((t) => parseInteger(t, 1, MAX_STANDARD_MINUTES))
			});
			if (!values || !r.ok) continue;
			yield {
				stationId: this.stationId,
				id: this.folderCategories.idOf(values.code),
				code: values.code,
				name: values.name,
				...(hasMinutes
					? { standardMinutes: values.standard_minutes ?? DEFAULT_STANDARD_MINUTES }
					: {})
			};
		}
	}

	private planParts() {
		const table = this.tables['parts.csv'];
		const hasUnit = table?.columns.has('unit') ?? false;
		const keys: RowSource<typeof parts>['keys'] = ['stationId', 'id', 'sku', 'name', 'unitCost'];
		return {
			source: {
				keys: hasUnit ? [...keys, 'unit' as const] : keys,
				rows: this.partRows(table, hasUnit)
			},
			update: (hasUnit
				? ['name', 'unitCost', 'unit']
				: ['name', 'unitCost']) satisfies ImportPlan['parts']['update']
		};
	}

	private async *partRows(
		table: Table<'parts.csv'> | undefined,
		hasUnit: boolean
	): AsyncGenerator<BulkRow<typeof parts>> {
		for await (const r of this.rows(table, { column: 'sku', keys: this.folderParts })) {
			const values = r.read({
				sku: required(text(LIMITS.sku)),
				name: required(text(LIMITS.partName)),
				unit_cost: required(parseMoney),
				unit: optional(text(LIMITS.unit))
			});
			if (!values || !r.ok) continue;
			this.folderPartCosts.set(values.sku, values.unit_cost);
			yield {
				stationId: this.stationId,
				id: this.folderParts.idOf(values.sku),
				sku: values.sku,
				name: values.name,
				unitCost: values.unit_cost,
				...(hasUnit ? { unit: values.unit ?? DEFAULT_UNIT } : {})
			};
		}
	}

	private planJobs() {
		const table = this.tables['jobs.csv'];
		const given = (Object.keys(JOB_OPTIONAL_KEYS) as (keyof typeof JOB_OPTIONAL_KEYS)[])
			.filter((column) => table?.columns.has(column))
			.map((column) => JOB_OPTIONAL_KEYS[column]);
		const keys: RowSource<typeof jobs>['keys'] = [...JOB_FIXED_KEYS, ...given];
		const fixed = new Set(['stationId', 'id', 'jobNo', 'origin']);
		return {
			source: { keys, rows: this.jobRows(table) },
			update: keys.filter((key) => !fixed.has(key))
		};
	}

	private async *jobRows(
		table: Table<'jobs.csv'> | undefined
	): AsyncGenerator<BulkRow<typeof jobs>> {
		const timestamp = (t: string) => parseTimestamp(t, this.timeZone);
		for await (const r of this.rows(table, { column: 'job_no', keys: this.folderJobs })) {
			const core = r.read({
				job_no: required(text(LIMITS.jobNo)),
				// Empty only for a job the desk has not dispatched yet (checked below with the status).
				technician_login: optional(parseLogin),
				reported_at: required(timestamp)
			});
			const status = r.read({ status: required((t) => parseChoice(t, JOB_STATUSES)) })?.status;
			const ending = r.read({
				completed_at: optional(timestamp),
				outcome: optional((t) => parseChoice(t, JOB_OUTCOMES))
			});
			const details = r.read({
				customer_name: optionalAsWritten(text(LIMITS.customerName)),
				customer_phone: optionalAsWritten(text(LIMITS.customerPhone)),
				customer_address: optionalAsWritten(text(LIMITS.customerAddress)),
				product_model: optionalAsWritten(text(LIMITS.productModel)),
				device_serial: optionalAsWritten(text(LIMITS.deviceSerial)),
				fault_category: optional(text(MAX_CATEGORY_CODE)),
				fault_description: optionalAsWritten(text(LIMITS.faultDescription)),
				arrived_at: optional(timestamp),
				started_at: optional(timestamp),
				previous_job_no: optional(text(LIMITS.jobNo)),
				notes: optionalAsWritten(text(LIMITS.notes))
			});

			if (status === 'completed') {
				if (r.text('completed_at') === '') r.report('completed_at', 'completed_at_required');
				if (r.text('outcome') === '') r.report('outcome', 'outcome_required');
			} else if (status && r.text('outcome') !== '') {
				r.report('outcome', 'outcome_not_completed', { status });
			}
			const login = r.text('technician_login');
			const technicianId = login === '' ? null : this.folderUsers.named(login);
			if (login !== '' && !technicianId) {
				r.report('technician_login', 'unknown_technician', {
					value: echo(login),
					station: this.request.code
				});
			} else if (login === '' && status && !UNASSIGNED_STATUSES.has(status)) {
				r.report('technician_login', 'technician_required', { status });
			}
			const categoryId = this.folderCategories.named(r.text('fault_category'));
			if (r.text('fault_category') !== '' && !categoryId) {
				r.report('fault_category', 'unknown_category', {
					value: echo(r.text('fault_category')),
					station: this.request.code
				});
			}
			const previousJobNo = r.text('previous_job_no');
			const previousJobId = this.folderJobs.named(previousJobNo);
			if (previousJobNo !== '' && previousJobNo === r.text('job_no')) {
				r.report('previous_job_no', 'own_previous_job');
			} else if (previousJobNo !== '' && !previousJobId) {
				r.report('previous_job_no', 'unknown_job', {
					value: echo(previousJobNo),
					station: this.request.code
				});
			}
			if (!core || !status || !ending || !details || technicianId === undefined || !r.ok) continue;

			const row: BulkRow<typeof jobs> = {
				stationId: this.stationId,
				id: this.folderJobs.idOf(core.job_no),
				jobNo: core.job_no,
				technicianId,
				// Kept as it was on a job the station already has (fixed below): only new rows say import.
				origin: 'import',
				reportedAt: core.reported_at,
				status,
				// Always written: an outcome only exists on a completed job, which must state it.
				outcome: ending.outcome,
				// Staged only when the file has their column (planJobs' keys, JOB_OPTIONAL_KEYS).
				customerName: details.customer_name ?? '',
				customerPhone: details.customer_phone ?? '',
				customerAddress: details.customer_address ?? '',
				productModel: details.product_model ?? '',
				deviceSerial: details.device_serial ?? '',
				faultCategoryId: categoryId ?? null,
				faultDescription: details.fault_description ?? '',
				arrivedAt: details.arrived_at,
				startedAt: details.started_at,
				completedAt: ending.completed_at,
				previousJobId: previousJobId ?? null,
				notes: details.notes ?? ''
			};
			yield row;
		}
	}

	private planPartLines(): RowSource<typeof jobParts> {
		return { keys: [...PART_LINE_KEYS], rows: this.partLineRows(this.tables['job_parts.csv']) };
	}

	private async *partLineRows(
		table: Table<'job_parts.csv'> | undefined
	): AsyncGenerator<BulkRow<typeof jobParts>> {
		for await (const r of this.rows(table)) {
			const values = r.read({
				job_no: required(text(LIMITS.jobNo)),
				sku: required(text(LIMITS.sku)),
				qty: required(parseQuantity),
				unit_cost: optional(parseMoney)
			});
			const jobId = this.referencedJob(r);
			const sku = r.text('sku');
			const folderPart = this.folderParts.get(sku);
			const part = folderPart
				? { id: this.folderParts.idOf(sku), unitCost: this.folderPartCosts.get(sku) ?? null }
				: this.state.parts.get(sku);
			if (sku !== '' && !part) {
				r.report('sku', 'unknown_part', { value: echo(sku), station: this.request.code });
			}
			if (!values || !jobId || !part || !r.ok) continue;
			const unitCost = values.unit_cost ?? part.unitCost;
			// A catalog cost that is itself invalid in parts.csv is reported there.
			if (unitCost === null) continue;
			yield {
				stationId: this.stationId,
				id: this.newId(),
				jobId,
				partId: part.id,
				qty: values.qty,
				unitCost
			};
		}
	}

	private planFollowUps(): RowSource<typeof followUps> {
		return { keys: [...FOLLOW_UP_KEYS], rows: this.followUpRows(this.tables['follow_ups.csv']) };
	}

	private async *followUpRows(
		table: Table<'follow_ups.csv'> | undefined
	): AsyncGenerator<BulkRow<typeof followUps>> {
		for await (const r of this.rows(table)) {
			const values = r.read({
				job_no: required(text(LIMITS.jobNo)),
				visited_at: required((t) => parseTimestamp(t, this.timeZone)),
				channel: optional((t) => parseChoice(t, FOLLOW_UP_CHANNELS)),
				satisfaction: optional((t) => parseInteger(t, 1, 5)),
				issue_resolved: optional(parseBoolean),
				comment: optionalAsWritten(text(LIMITS.comment)),
				source: optional((t) => parseChoice(t, FOLLOW_UP_SOURCES))
			});
			const jobId = this.referencedJob(r);
			if (!values || !jobId || !r.ok) continue;
			yield {
				stationId: this.stationId,
				id: this.newId(),
				jobId,
				visitedAt: values.visited_at,
				channel: values.channel ?? 'phone',
				source: values.source ?? 'import',
				satisfaction: values.satisfaction,
				issueResolved: values.issue_resolved,
				comment: values.comment ?? ''
			};
		}
	}

	/** The job a part line or follow-up names, reported when it exists nowhere. */
	private referencedJob<F extends 'job_parts.csv' | 'follow_ups.csv'>(r: RowReader<F>) {
		const jobNo = r.text('job_no' as ColumnOf<F>);
		const jobId = this.folderJobs.named(jobNo);
		if (jobNo !== '' && !jobId) {
			r.report('job_no' as ColumnOf<F>, 'unknown_job', {
				value: echo(jobNo),
				station: this.request.code
			});
		}
		return jobId;
	}
}

function text(max: number) {
	return (value: string) => parseText(value, max);
}

async function writePlan(
	tx: Transaction,
	plan: ImportPlan,
	progress: ProgressReporter,
	dryRun: boolean
): Promise<ImportSummary> {
	const { station } = plan;
	const writing = (file: InterchangeFile, rows: number) => progress.at('writing', file, rows);
	if (station.create) {
		await tx.insert(stations).values({
			id: station.id,
			code: station.code,
			name: station.name,
			timeZone: station.timeZone
		});
		await insertFirstSettingsVersion(tx, station.id);
	}
	writing('technicians.csv', plan.users.staged.rows);
	const technicians = await upsertStaged(tx, users, plan.users.staged, {
		key: ['stationId', 'login'],
		update: plan.users.update
	});
	await recordAccountChanges(tx, plan.accountChanges);
	for (const { target, action } of plan.accountChanges) {
		if (action === 'role_change') await invalidateUserSessions(tx, target);
	}
	writing('fault_categories.csv', plan.categories.staged.rows);
	const categories = await upsertStaged(tx, faultCategories, plan.categories.staged, {
		key: ['stationId', 'code'],
		update: plan.categories.update
	});
	writing('parts.csv', plan.parts.staged.rows);
	const partCounts = await upsertStaged(tx, parts, plan.parts.staged, {
		key: ['stationId', 'sku'],
		update: plan.parts.update
	});
	writing('jobs.csv', plan.jobs.staged.rows);
	let jobCounts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
	if (plan.jobs.staged.rows > 0) {
		const moved = await stageMovedSteps(tx, station.id, plan.jobs.staged);
		jobCounts = await upsertStaged(tx, jobs, plan.jobs.staged, {
			key: ['stationId', 'jobNo'],
			update: plan.jobs.update
		});
		if (moved) await recordImportedSteps(tx, station.id, moved);
	}
	if (plan.partLines) writing('job_parts.csv', plan.partLines.rows);
	const partLines =
		plan.partLines &&
		(await mergeChildren(tx, jobParts, station.id, plan.jobs.staged, plan.partLines, [
			'partId',
			'qty',
			'unitCost'
		]));
	if (plan.followUps) writing('follow_ups.csv', plan.followUps.rows);
	const followUpCounts =
		plan.followUps &&
		(await mergeChildren(tx, followUps, station.id, plan.jobs.staged, plan.followUps, [
			'visitedAt',
			'channel',
			'source',
			'satisfaction',
			'issueResolved',
			'comment'
		]));
	// PGlite runs no autovacuum: without fresh statistics the planner keeps treating the
	// tables as empty and the KPI queries' joins degrade badly. (A dry run is rolled back.)
	if (!dryRun) {
		await tx.execute(sql`ANALYZE users, fault_categories, parts, jobs, job_parts, follow_ups`);
	}
	return {
		dryRun,
		station: {
			code: station.code,
			name: station.name,
			timeZone: station.timeZone,
			created: station.create
		},
		technicians,
		faultCategories: categories,
		parts: partCounts,
		jobs: jobCounts,
		partLines,
		followUps: followUpCounts
	};
}

const IMPORTED_STEPS = [
	['arrived', 'arrivedAt'],
	['started', 'startedAt'],
	['completed', 'completedAt']
] as const;

/**
 * The step times the import is about to set or clear (job_step_entries: how each time was
 * entered), staged as `import_moved_steps` before the jobs are written: a time the file leaves
 * as the station has it keeps its entry (a tap stays a tap when the same data is imported
 * again). Null when the files give no step time.
 */
async function stageMovedSteps(
	tx: Transaction,
	stationId: string,
	staged: StagedTable
): Promise<SQL | null> {
	const given = IMPORTED_STEPS.filter(([, key]) => staged.keys.includes(key));
	if (given.length === 0) return null;
	const moved = sql.identifier('import_moved_steps');
	const steps = given.map(
		([step, key]) =>
			sql`(${step}, j.${sql.identifier(`${step}_at`)}, r.${sql.identifier(key)}::timestamptz)`
	);
	await tx.execute(sql`DROP TABLE IF EXISTS ${moved}`);
	await tx.execute(sql`
		CREATE TEMP TABLE ${moved} ON COMMIT DROP AS
		SELECT r.id AS job_id, m.step::text AS step, m.after IS NULL AS cleared
		FROM ${staged.name} r
		LEFT JOIN jobs j ON j.station_id = ${stationId}::uuid AND j.id = r.id
		CROSS JOIN LATERAL (VALUES ${sql.join(steps, sql`, `)}) AS m(step, before, after)
		WHERE m.before IS DISTINCT FROM m.after`);
	return sql`${moved}`;
}

/** Imported step times are entered by import, with no device clock; cleared ones by no one. */
async function recordImportedSteps(tx: Transaction, stationId: string, moved: SQL): Promise<void> {
	await tx.execute(sql`
		WITH forgotten AS (
			DELETE FROM job_step_entries e
			USING ${moved} m
			WHERE e.station_id = ${stationId}::uuid AND e.job_id = m.job_id AND e.step = m.step
				AND m.cleared
		)
		INSERT INTO job_step_entries (station_id, job_id, step, entry, noted_at, received_at)
		SELECT ${stationId}::uuid, m.job_id, m.step, 'import', NULL, now()
		FROM ${moved} m
		WHERE NOT m.cleared
		ON CONFLICT (station_id, job_id, step) DO UPDATE SET
			entry = excluded.entry, noted_at = excluded.noted_at, received_at = excluded.received_at,
			recorded_by = NULL`);
}

/**
 * Makes the rows of a child table, for the jobs of jobs.csv and the jobs its file names, those
 * of the file, writing only the difference:
 * an existing row equal in every column the files give (`compared`) stays as it is (its id,
 * its sync version, its KPI facts); the others are deleted, and the files' rows without an
 * equal existing one are inserted. Equal rows are paired by their rank among equals, so two
 * identical lines of a job stay two.
 */
async function mergeChildren<T extends typeof jobParts | typeof followUps>(
	tx: Transaction,
	table: T,
	stationId: string,
	stagedJobs: StagedTable,
	staged: StagedTable,
	compared: readonly (keyof BulkRow<T> & string)[]
): Promise<ReplacedCounts> {
	const columns: Record<string, { name: string }> = getTableColumns(table);
	const column = (key: string) => sql.identifier(columns[key].name);
	const incomingValues = sql.join(
		compared.map((key) => sql`r.${sql.identifier(key)}`),
		sql`, `
	);
	const existingValues = sql.join(
		compared.map((key) => sql`t.${column(key)}`),
		sql`, `
	);
	const pairedOn = sql`i.job_id = e.job_id AND i.n = e.n AND i.v IS NOT DISTINCT FROM e.v`;
	const [counts] = await queryRows<ReplacedCounts>(
		tx,
		sql`
		WITH incoming AS (
			SELECT r.id, r."jobId" AS job_id, ROW(${incomingValues}) AS v,
				row_number() OVER (PARTITION BY r."jobId", ${incomingValues} ORDER BY r.id) AS n
			FROM ${staged.name} r
		),
		existing AS (
			SELECT t.id, t.job_id, ROW(${existingValues}) AS v,
				row_number() OVER (PARTITION BY t.job_id, ${existingValues} ORDER BY t.id) AS n
			FROM ${table} t
			WHERE t.station_id = ${stationId}::uuid
				AND t.job_id IN (SELECT id FROM ${stagedJobs.name} UNION SELECT "jobId" FROM ${staged.name})
		),
		removed AS (
			DELETE FROM ${table} t
			USING existing e
			WHERE t.station_id = ${stationId}::uuid AND t.id = e.id
				AND NOT EXISTS (SELECT 1 FROM incoming i WHERE ${pairedOn})
			RETURNING 1
		),
		added AS (
			INSERT INTO ${table} (${sql.join(['stationId', 'id', 'jobId', ...compared].map(column), sql`, `)})
			SELECT r."stationId", r.id, r."jobId", ${incomingValues}
			FROM ${staged.name} r
			JOIN incoming i ON i.id = r.id
			WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE ${pairedOn})
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM removed)::int AS removed,
			(SELECT count(*) FROM added)::int AS written,
			(${sql.raw(String(staged.rows))} - (SELECT count(*) FROM added))::int AS unchanged`
	);
	return counts;
}

/**
 * The rule a write broke when the database refused it (a constraint, or the SQLSTATE of a
 * value out of range), or null for any other failure, which is a fault of the server rather
 * than of the files. Only the rule's name reaches the person; the SQL and its values do not.
 */
function databaseRefusal(error: unknown): string | null {
	const pg = postgresError(error);
	if (!pg?.code || !/^2[23]/.test(pg.code)) return null;
	return pg.constraint ?? pg.constraint_name ?? pg.code;
}
