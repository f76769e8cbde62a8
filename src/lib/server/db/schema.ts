/**
 * The RepairScore data model.
 *
 * Every table but `stations` carries `station_id`, and every primary key, unique key and
 * foreign key between station data includes it. That is what lets Postgres be sharded by
 * station (Citus distributes on `station_id`; keys must contain the distribution column)
 * and it makes "a job's technician belongs to the job's station" a database fact rather
 * than an application promise. `stations` and `sessions` are small lookup tables (Citus
 * reference tables) that are read without knowing the station first.
 *
 * Money is numeric(12,2), quantities numeric(12,3): exact decimals, never floats.
 * Timestamps are timestamptz; period boundaries are computed in the station's time zone.
 */
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	customType,
	date,
	doublePrecision,
	foreignKey,
	index,
	integer,
	jsonb,
	numeric,
	pgEnum,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import {
	FOLLOW_UP_CHANNELS,
	JOB_OUTCOMES,
	JOB_STATUSES,
	USER_ROLES,
	type KpiSettings
} from '../../shared/domain';
import { FOLLOW_UP_CALL_OUTCOMES, JOB_ORIGINS, JOB_URGENCIES } from '../../shared/desk-domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import {
	APPEAL_STATUSES,
	APPEAL_SUBJECTS,
	EXCLUDABLE_KPIS,
	FOLLOW_UP_SOURCES,
	JOB_STEPS,
	STEP_ENTRIES
} from '../../shared/honesty-domain';
import {
	JOB_FILE_KINDS,
	JOB_FILE_MAX_BYTES,
	JOB_FILE_TYPES,
	POSITION_STATES
} from '../../shared/evidence-domain';
import { SIGNATURE_MAX_STROKES, SIGNER_NAME_MAX } from '../../shared/signature';

export const userRole = pgEnum('user_role', USER_ROLES);
export const jobStatus = pgEnum('job_status', JOB_STATUSES);
export const jobOutcome = pgEnum('job_outcome', JOB_OUTCOMES);
export const followUpChannel = pgEnum('follow_up_channel', FOLLOW_UP_CHANNELS);
export const jobOrigin = pgEnum('job_origin', JOB_ORIGINS);
export const jobUrgency = pgEnum('job_urgency', JOB_URGENCIES);
export const followUpCallOutcome = pgEnum('follow_up_call_outcome', FOLLOW_UP_CALL_OUTCOMES);
export const followUpSource = pgEnum('follow_up_source', FOLLOW_UP_SOURCES);

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tstz('created_at').notNull().defaultNow();
const updatedAt = () => tstz('updated_at').notNull().defaultNow();

/**
 * A 64-bit transaction id (Postgres `xid8`), carried as a decimal string. Sync versions are
 * the id of the transaction that last wrote a row; drizzle has no such type of its own.
 */
/** Bytes: Buffer from postgres.js, Uint8Array from PGlite (a Buffer is one too). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });
/**
 * The sync version of a row (docs/sync.md): the writing transaction's id, set by this default
 * on insert and by the `sync_stamp_version` trigger on update (drizzle/sql/sync-versions.sql), so
 * a pull can ask for "rows written by transactions at or after the cursor" without missing
 * late commits.
 */
const syncVersion = () =>
	xid8('version')
		.notNull()
		.default(sql`pg_current_xact_id()`);

export const stations = pgTable(
	'stations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		code: text('code').notNull().unique(),
		name: text('name').notNull(),
		timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
		reworkWindowDays: integer('rework_window_days').notNull().default(30),
		minJobsForRanking: integer('min_jobs_for_ranking').notNull().default(5),
		/** Phones store where arrival and completion happened (issue 14; off until a supervisor turns it on). */
		recordPositions: boolean('record_positions').notNull().default(false),
		/** A technician's completion must carry the customer's signature (issue 14; off by default). */
		completionRequiresSignature: boolean('completion_requires_signature').notNull().default(false),
		/** Thresholds and weights per KPI; shape and defaults in shared/kpi-settings.ts. */
		kpiSettings: jsonb('kpi_settings').$type<KpiSettings>().notNull().default(DEFAULT_KPI_SETTINGS),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		// Codes are case-insensitive identifiers, kept in upper case (what people type is upper-cased).
		check('stations_code_format', sql`${t.code} ~ '^[A-Z0-9_-]{1,32}$'`),
		check('stations_rework_window_positive', sql`${t.reworkWindowDays} > 0`),
		check('stations_min_jobs_nonnegative', sql`${t.minJobsForRanking} >= 0`)
	]
);

export const users = pgTable(
	'users',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		login: text('login').notNull(),
		name: text('name').notNull(),
		role: userRole('role').notNull().default('technician'),
		/** argon2id PHC string; null for imported users, who cannot sign in until one is set. */
		passwordHash: text('password_hash'),
		active: boolean('active').notNull().default(true),
		/** Failed sign-ins since the last success, for per-account throttling. */
		failedLogins: integer('failed_logins').notNull().default(0),
		lastFailedLoginAt: tstz('last_failed_login_at'),
		/**
		 * A random 256-bit secret per user (hex), for encrypting a signed-out user's unsent
		 * changes on a shared device (the key pair of auth/device-key.ts is derived from it; served
		 * only to the signed-in person). The database default gives every row its own value,
		 * whoever inserts it (app, CLI, import, demo).
		 */
		localDataKey: text('local_data_key')
			.notNull()
			.default(
				sql`encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text || clock_timestamp()::text)::bytea), 'hex')`
			),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		unique('users_station_login').on(t.stationId, t.login),
		check('users_login_format', sql`${t.login} ~ '^[A-Za-z0-9._-]{1,64}$'`)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the cookie token, hex. The token itself is never stored. */
		id: text('id').primaryKey(),
		stationId: uuid('station_id').notNull(),
		userId: uuid('user_id').notNull(),
		createdAt: createdAt(),
		expiresAt: tstz('expires_at').notNull(),
		userAgent: text('user_agent')
	},
	(t) => [
		foreignKey({
			name: 'sessions_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}).onDelete('cascade'),
		index('sessions_user_idx').on(t.stationId, t.userId),
		index('sessions_expires_idx').on(t.expiresAt)
	]
);

/**
 * Failed sign-ins per source address (auth/sign-in.ts), so one address cannot spray passwords
 * across accounts. Like `sessions`, read before any station is known: no station_id.
 */
export const signInAddresses = pgTable(
	'sign_in_addresses',
	{
		/** The client address; IPv6 cut to its /64, the block one client usually holds. */
		address: text('address').primaryKey(),
		failures: integer('failures').notNull().default(0),
		lastFailureAt: tstz('last_failure_at').notNull()
	},
	(t) => [index('sign_in_addresses_last_failure_idx').on(t.lastFailureAt)]
);

export const ACCOUNT_AUDIT_ACTIONS = [
	'create',
	'deactivate',
	'activate',
	'password_reset',
	'password_change',
	'role_change',
	'rename',
	'region_change'
] as const;
export type AccountAuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];

/**
 * Every change to an account (roles.md: "audited with who, when and why"). The actor has no
 * foreign key: a system administrator belongs to another station, and the command line has
 * no account at all (actor_id null, actor_login says where the change came from).
 */
export const accountAudit = pgTable(
	'account_audit',
	{
		stationId: uuid('station_id').notNull(),
		id: uuid('id').notNull().defaultRandom(),
		changedAt: tstz('changed_at').notNull().defaultNow(),
		userId: uuid('user_id').notNull(),
		actorId: uuid('actor_id'),
		actorStationId: uuid('actor_station_id'),
		actorLogin: text('actor_login').notNull(),
		action: text('action', { enum: ACCOUNT_AUDIT_ACTIONS }).notNull(),
		before: jsonb('before'),
		after: jsonb('after'),
		reason: text('reason')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'account_audit_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}).onDelete('cascade'),
		check(
			'account_audit_action',
			sql`${t.action} IN ('create', 'deactivate', 'activate', 'password_reset', 'password_change', 'role_change', 'rename', 'region_change')`
		),
		index('account_audit_station_time_idx').on(t.stationId, t.changedAt),
		index('account_audit_user_idx').on(t.stationId, t.userId)
	]
);

/**
 * A region manager's stations (roles.md: "region" = stations assigned to the user): one row per
 * station they read. The row belongs to the assigned station (station_id first, like every key
 * between station data); the manager's own account stays in their home station, named by
 * (user_station_id, user_id). Only a system administrator assigns them (auth/region.ts), audited
 * on the manager's account as `region_change`.
 */
export const regionStations = pgTable(
	'region_stations',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		userStationId: uuid('user_station_id').notNull(),
		userId: uuid('user_id').notNull(),
		assignedAt: tstz('assigned_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.userStationId, t.userId] }),
		foreignKey({
			name: 'region_stations_user_fk',
			columns: [t.userStationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}).onDelete('cascade'),
		index('region_stations_user_idx').on(t.userStationId, t.userId)
	]
);

export const faultCategories = pgTable(
	'fault_categories',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		standardMinutes: integer('standard_minutes').notNull().default(60),
		/** A repair shorter than this is implausible: flagged too_fast (docs/kpi-rules.md). */
		floorMinutes: integer('floor_minutes').notNull().default(5),
		active: boolean('active').notNull().default(true),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		version: syncVersion()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		unique('fault_categories_station_code').on(t.stationId, t.code),
		check('fault_categories_standard_minutes_positive', sql`${t.standardMinutes} > 0`),
		index('fault_categories_version_idx').on(t.stationId, t.version)
	]
);

export const parts = pgTable(
	'parts',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		sku: text('sku').notNull(),
		name: text('name').notNull(),
		unitCost: numeric('unit_cost', { precision: 12, scale: 2 }).notNull(),
		unit: text('unit').notNull().default('个'),
		active: boolean('active').notNull().default(true),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		version: syncVersion()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		unique('parts_station_sku').on(t.stationId, t.sku),
		check('parts_unit_cost_nonnegative', sql`${t.unitCost} >= 0`),
		index('parts_version_idx').on(t.stationId, t.version)
	]
);

/**
 * What kpi.md's "trimmed" removes from both ends of a serial before comparing: every white space
 * and line end of JavaScript's String.prototype.trim, which is also what zod's .trim() strips
 * from a serial typed in the app, written as Postgres escapes (E'…'). btrim's default, the ASCII
 * space alone, would keep the tabs, no-break spaces (U+00A0) and ideographic spaces (U+3000)
 * that serials pasted from spreadsheets bring along, and a rework would go unnoticed.
 */
const SERIAL_TRIMMED_CHARACTERS = String.raw`\u0009\u000a\u000b\u000c\u000d\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

export const jobs = pgTable(
	'jobs',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		/** Made by the client (UUIDv7) so a job can be created offline. */
		id: uuid('id').notNull(),
		jobNo: text('job_no').notNull(),
		/** Null while the desk has not dispatched the job yet (only an open or cancelled job). */
		technicianId: uuid('technician_id'),
		origin: jobOrigin('origin').notNull().default('technician'),
		/** Who saved the job (desk or technician); null for jobs made before this was kept. */
		reportedBy: uuid('reported_by'),
		urgency: jobUrgency('urgency').notNull().default('normal'),
		/** Server time of the latest (re)assignment, for the open-jobs board. */
		assignedAt: tstz('assigned_at'),
		customerName: text('customer_name').notNull().default(''),
		customerPhone: text('customer_phone').notNull().default(''),
		customerAddress: text('customer_address').notNull().default(''),
		productModel: text('product_model').notNull().default(''),
		deviceSerial: text('device_serial').notNull().default(''),
		/** Trimmed, lower-cased serial: what rework detection compares (kpi.md). */
		deviceSerialKey: text('device_serial_key')
			.notNull()
			.generatedAlwaysAs(sql.raw(`lower(btrim(device_serial, E'${SERIAL_TRIMMED_CHARACTERS}'))`)),
		faultCategoryId: uuid('fault_category_id'),
		faultDescription: text('fault_description').notNull().default(''),
		reportedAt: tstz('reported_at').notNull(),
		arrivedAt: tstz('arrived_at'),
		startedAt: tstz('started_at'),
		completedAt: tstz('completed_at'),
		status: jobStatus('status').notNull().default('open'),
		outcome: jobOutcome('outcome'),
		previousJobId: uuid('previous_job_id'),
		notes: text('notes').notNull().default(''),
		verifiedAt: tstz('verified_at'),
		verifiedBy: uuid('verified_by'),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		version: syncVersion()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		unique('jobs_station_job_no').on(t.stationId, t.jobNo),
		foreignKey({
			name: 'jobs_technician_fk',
			columns: [t.stationId, t.technicianId],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'jobs_reported_by_fk',
			columns: [t.stationId, t.reportedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'jobs_verified_by_fk',
			columns: [t.stationId, t.verifiedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'jobs_fault_category_fk',
			columns: [t.stationId, t.faultCategoryId],
			foreignColumns: [faultCategories.stationId, faultCategories.id]
		}),
		foreignKey({
			name: 'jobs_previous_job_fk',
			columns: [t.stationId, t.previousJobId],
			foreignColumns: [t.stationId, t.id]
		}),
		check('jobs_job_no_not_blank', sql`btrim(${t.jobNo}) <> ''`),
		check(
			'jobs_assigned_unless_open',
			sql`${t.technicianId} IS NOT NULL OR ${t.status} IN ('open', 'cancelled')`
		),
		check(
			'jobs_completed_has_time_and_outcome',
			sql`${t.status} <> 'completed' OR (${t.completedAt} IS NOT NULL AND ${t.outcome} IS NOT NULL)`
		),
		check(
			'jobs_outcome_only_when_completed',
			sql`${t.outcome} IS NULL OR ${t.status} = 'completed'`
		),
		check(
			'jobs_not_own_previous',
			sql`${t.previousJobId} IS NULL OR ${t.previousJobId} <> ${t.id}`
		),
		// The KPI queries: a station's completed jobs in a period, per technician, and
		// rework detection by serial and by link.
		index('jobs_station_completed_idx')
			.on(t.stationId, t.completedAt)
			.where(sql`${t.status} = 'completed'`),
		index('jobs_station_technician_completed_idx').on(t.stationId, t.technicianId, t.completedAt),
		// Named after the key since migration 0005: re-adding the regenerated key column drops
		// the old jobs_station_serial_idx, and a new name is what makes drizzle-kit recreate it.
		index('jobs_station_serial_key_idx')
			.on(t.stationId, t.deviceSerialKey, t.reportedAt)
			.where(sql`${t.deviceSerialKey} <> ''`),
		index('jobs_station_previous_idx')
			.on(t.stationId, t.previousJobId)
			.where(sql`${t.previousJobId} IS NOT NULL`),
		// Which completed jobs a job with this serial, reported then, may have reworked: what a
		// change of that job makes stale in job_kpi_facts.
		index('jobs_station_serial_completed_idx')
			.on(t.stationId, t.deviceSerialKey, t.completedAt)
			.where(sql`${t.deviceSerialKey} <> '' AND ${t.status} = 'completed'`),
		index('jobs_version_idx').on(t.stationId, t.version),
		// The desk's lookup as one types a phone number or serial: prefix matches (LIKE 'x%'),
		// which need the pattern operator class under any collation but C.
		index('jobs_station_phone_prefix_idx')
			.on(t.stationId, t.customerPhone.op('text_pattern_ops'))
			.where(sql`${t.customerPhone} <> ''`),
		index('jobs_station_serial_prefix_idx')
			.on(t.stationId, t.deviceSerialKey.op('text_pattern_ops'))
			.where(sql`${t.deviceSerialKey} <> ''`),
		// The open-jobs board: the station's jobs not yet completed.
		index('jobs_station_open_idx')
			.on(t.stationId, t.reportedAt)
			.where(sql`${t.status} IN ('open', 'in_progress')`)
	]
);

/**
 * A technician whose offline work on a job reached the server after the job had been
 * reassigned away from them (roles.md, sync.md field ownership): their visit facts are kept and
 * credited to them in the job's history, and the desk sees the overlap here and decides
 * (give the job back, or keep the new assignment). One row per job and technician.
 */
export const jobOverlaps = pgTable(
	'job_overlaps',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		jobId: uuid('job_id').notNull(),
		technicianId: uuid('technician_id').notNull(),
		/** Server time the first such change arrived. */
		detectedAt: tstz('detected_at').notNull().defaultNow(),
		resolvedAt: tstz('resolved_at'),
		resolvedBy: uuid('resolved_by'),
		/** `returned`: the job went back to this technician; `kept`: the new assignment stands. */
		resolution: text('resolution', { enum: ['returned', 'kept'] })
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId, t.technicianId] }),
		foreignKey({
			name: 'job_overlaps_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'job_overlaps_technician_fk',
			columns: [t.stationId, t.technicianId],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'job_overlaps_resolved_by_fk',
			columns: [t.stationId, t.resolvedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check(
			'job_overlaps_resolution',
			sql`(${t.resolution} IS NULL) = (${t.resolvedAt} IS NULL) AND (${t.resolution} IS NULL OR ${t.resolution} IN ('returned', 'kept'))`
		),
		index('job_overlaps_open_idx')
			.on(t.stationId, t.detectedAt)
			.where(sql`${t.resolvedAt} IS NULL`)
	]
);

export const jobParts = pgTable(
	'job_parts',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull(),
		jobId: uuid('job_id').notNull(),
		partId: uuid('part_id').notNull(),
		qty: numeric('qty', { precision: 12, scale: 3 }).notNull(),
		/** The catalog cost when the part was used, so later price changes never rewrite history. */
		unitCost: numeric('unit_cost', { precision: 12, scale: 2 }).notNull(),
		createdBy: uuid('created_by'),
		createdAt: createdAt(),
		version: syncVersion()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'job_parts_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'job_parts_part_fk',
			columns: [t.stationId, t.partId],
			foreignColumns: [parts.stationId, parts.id]
		}),
		foreignKey({
			name: 'job_parts_created_by_fk',
			columns: [t.stationId, t.createdBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('job_parts_qty_positive', sql`${t.qty} > 0`),
		check('job_parts_unit_cost_nonnegative', sql`${t.unitCost} >= 0`),
		index('job_parts_job_idx').on(t.stationId, t.jobId),
		index('job_parts_version_idx').on(t.stationId, t.version)
	]
);

export const followUps = pgTable(
	'follow_ups',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull(),
		jobId: uuid('job_id').notNull(),
		/** Who made the contact; null for follow-ups imported from spreadsheets. */
		userId: uuid('user_id'),
		visitedAt: tstz('visited_at').notNull(),
		channel: followUpChannel('channel').notNull().default('phone'),
		satisfaction: smallint('satisfaction'),
		issueResolved: boolean('issue_resolved'),
		comment: text('comment').notNull().default(''),
		/**
		 * Who recorded it (docs/kpi-rules.md): a technician's own follow-up is kept as notes and
		 * never scored. The default is the unscored one, so a writer that forgets to say scores
		 * nothing.
		 */
		source: followUpSource('source').notNull().default('technician'),
		createdAt: createdAt(),
		version: syncVersion()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'follow_ups_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'follow_ups_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}),
		check(
			'follow_ups_satisfaction_range',
			sql`${t.satisfaction} IS NULL OR ${t.satisfaction} BETWEEN 1 AND 5`
		),
		index('follow_ups_job_idx').on(t.stationId, t.jobId, t.visitedAt),
		index('follow_ups_version_idx').on(t.stationId, t.version)
	]
);

/**
 * Every call the desk made to follow a job up (回访), reached or not: the follow-up worklist's
 * attempts. A reached call also writes the follow_ups row it produced (follow_up_id), which is
 * what the KPIs count; calls not reached count for nothing and the job stays due.
 */
export const followUpCalls = pgTable(
	'follow_up_calls',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		jobId: uuid('job_id').notNull(),
		/** Who called (desk or supervisor). */
		userId: uuid('user_id').notNull(),
		/** The server's clock when the call was recorded. */
		calledAt: tstz('called_at').notNull().defaultNow(),
		outcome: followUpCallOutcome('outcome').notNull(),
		comment: text('comment').notNull().default(''),
		followUpId: uuid('follow_up_id')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'follow_up_calls_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'follow_up_calls_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'follow_up_calls_follow_up_fk',
			columns: [t.stationId, t.followUpId],
			foreignColumns: [followUps.stationId, followUps.id]
		}).onDelete('set null'),
		// Only a reached call produces a follow-up (its row may later be deleted: set null).
		check(
			'follow_up_calls_follow_up_only_when_reached',
			sql`${t.followUpId} IS NULL OR ${t.outcome} = 'reached'`
		),
		index('follow_up_calls_job_idx').on(t.stationId, t.jobId, t.calledAt)
	]
);

/**
 * A completed job the desk closed for follow-up without reaching the customer (with why):
 * it leaves the worklist of due calls. Reopening deletes the row.
 */
export const followUpClosures = pgTable(
	'follow_up_closures',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		jobId: uuid('job_id').notNull(),
		closedBy: uuid('closed_by').notNull(),
		closedAt: tstz('closed_at').notNull().defaultNow(),
		reason: text('reason').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId] }),
		foreignKey({
			name: 'follow_up_closures_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'follow_up_closures_closed_by_fk',
			columns: [t.stationId, t.closedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('follow_up_closures_reason_not_blank', sql`btrim(${t.reason}) <> ''`)
	]
);

/**
 * kpi.md's per-job facts of each completed job, materialised: a scorecard reads one indexed range
 * of these instead of probing reworks, follow-ups and parts for every job of the period
 * (docs/kpi.md). Facts do not depend on the period, only on the job, its reworks, follow-ups and
 * parts, its category's standard minutes and the station's rework window. The rules live in
 * src/lib/server/kpi/job-facts.ts; kpi/fact-refresh.ts refreshes the rows named in job_kpi_stale
 * (never a read); triggers (drizzle/sql/kpi-staleness.sql) name there every job a write may have changed.
 */
export const jobKpiFacts = pgTable(
	'job_kpi_facts',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		jobId: uuid('job_id').notNull(),
		jobNo: text('job_no').notNull(),
		technicianId: uuid('technician_id').notNull(),
		completedAt: tstz('completed_at').notNull(),
		/** The station's local date of completed_at: the scorecard's daily rollup groups by it. */
		day: date('day').notNull(),
		standardMinutes: integer('standard_minutes').notNull(),
		/** Exact seconds (numeric): means and sums divide once, at the end. */
		repairSeconds: numeric('repair_seconds'),
		responseSeconds: numeric('response_seconds'),
		partsCost: numeric('parts_cost').notNull(),
		latestSatisfaction: smallint('latest_satisfaction'),
		hasFollowUp: boolean('has_follow_up').notNull(),
		reworkedBy: text('reworked_by').array().notNull(),
		failureReasons: text('failure_reasons').array().notNull(),
		/** Flags not accepted: each makes the job not clean. */
		flags: text('flags').array().notNull(),
		/** Flags a supervisor accepted with a reason (job_flag_acceptances): shown, not counted. */
		acceptedFlags: text('accepted_flags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** KPIs an accepted appeal took this job out of (job_kpi_exclusions). */
		excludedKpis: text('excluded_kpis')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`)
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId] }),
		index('job_kpi_facts_completed_idx').on(t.stationId, t.completedAt),
		// The refresh rewrites the daily rollup of the (day, technician) pairs it touched.
		index('job_kpi_facts_day_idx').on(t.stationId, t.day, t.technicianId),
		index('job_kpi_facts_technician_completed_idx').on(t.stationId, t.technicianId, t.completedAt)
	]
);

/**
 * job_kpi_facts summed per technician and local day: a scorecard adds up a few thousand of these
 * rows instead of a period's jobs (docs/kpi.md). Every column is a count or an exact sum; the
 * median needs the values themselves, kept sorted per day in repair_minutes. Rewritten from
 * job_kpi_facts for the (technician, day) pairs a refresh touched.
 */
export const jobKpiDaily = pgTable(
	'job_kpi_daily',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		day: date('day').notNull(),
		technicianId: uuid('technician_id').notNull(),
		jobsCompleted: integer('jobs_completed').notNull(),
		/** Jobs counted by the repair success rate: those no accepted appeal excluded from it. */
		successJobs: integer('success_jobs').notNull().default(0),
		successes: integer('successes').notNull(),
		repairCount: integer('repair_count').notNull(),
		repairSecondsSum: numeric('repair_seconds_sum').notNull(),
		/** Standard minutes of the jobs with a repair time: the duration index's denominator. */
		timedStandardMinutes: bigint('timed_standard_minutes', { mode: 'number' }).notNull(),
		repairMinutes: doublePrecision('repair_minutes').array().notNull(),
		responseCount: integer('response_count').notNull(),
		responseSecondsSum: numeric('response_seconds_sum').notNull(),
		partsCostSum: numeric('parts_cost_sum').notNull(),
		ratedCount: integer('rated_count').notNull(),
		ratedSum: integer('rated_sum').notNull(),
		satisfiedCount: integer('satisfied_count').notNull(),
		followedUpCount: integer('followed_up_count').notNull(),
		/** Jobs counted by record accuracy: those no accepted appeal excluded from it. */
		accuracyJobs: integer('accuracy_jobs').notNull().default(0),
		accurateCount: integer('accurate_count').notNull()
	},
	(t) => [primaryKey({ columns: [t.stationId, t.day, t.technicianId] })]
);

/**
 * job_kpi_daily summed per technician and local month (kpi/monthly-rollup.ts): a whole-month
 * period (a month, a quarter) adds up 3 rows per technician instead of ~91. Same columns as the
 * daily rows, `month` its first day; repair_minutes holds the month's values sorted. Rewritten
 * with the daily rows, for the (technician, month) pairs a refresh touched.
 */
export const jobKpiMonthly = pgTable(
	'job_kpi_monthly',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		month: date('month').notNull(),
		technicianId: uuid('technician_id').notNull(),
		jobsCompleted: integer('jobs_completed').notNull(),
		successJobs: integer('success_jobs').notNull(),
		successes: integer('successes').notNull(),
		repairCount: integer('repair_count').notNull(),
		repairSecondsSum: numeric('repair_seconds_sum').notNull(),
		timedStandardMinutes: bigint('timed_standard_minutes', { mode: 'number' }).notNull(),
		responseCount: integer('response_count').notNull(),
		responseSecondsSum: numeric('response_seconds_sum').notNull(),
		partsCostSum: numeric('parts_cost_sum').notNull(),
		ratedCount: integer('rated_count').notNull(),
		ratedSum: integer('rated_sum').notNull(),
		satisfiedCount: integer('satisfied_count').notNull(),
		followedUpCount: integer('followed_up_count').notNull(),
		accuracyJobs: integer('accuracy_jobs').notNull(),
		accurateCount: integer('accurate_count').notNull(),
		repairMinutes: doublePrecision('repair_minutes').array().notNull()
	},
	(t) => [primaryKey({ columns: [t.stationId, t.month, t.technicianId] })]
);

/**
 * job_kpi_monthly summed over the station's technicians per local month: the station's own row
 * (every job pooled) of a whole-month period in one row per month. repair_minute_marks holds
 * every REPAIR_MARK_STRIDE-th of the month's repair minutes in order, so the pooled median is
 * found among a few of the technicians' values rather than by sorting all of them
 * (kpi/monthly-rollup.ts).
 */
export const jobKpiMonthlyStation = pgTable(
	'job_kpi_monthly_station',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		month: date('month').notNull(),
		jobsCompleted: integer('jobs_completed').notNull(),
		successJobs: integer('success_jobs').notNull(),
		successes: integer('successes').notNull(),
		repairCount: integer('repair_count').notNull(),
		repairSecondsSum: numeric('repair_seconds_sum').notNull(),
		timedStandardMinutes: bigint('timed_standard_minutes', { mode: 'number' }).notNull(),
		responseCount: integer('response_count').notNull(),
		responseSecondsSum: numeric('response_seconds_sum').notNull(),
		partsCostSum: numeric('parts_cost_sum').notNull(),
		ratedCount: integer('rated_count').notNull(),
		ratedSum: integer('rated_sum').notNull(),
		satisfiedCount: integer('satisfied_count').notNull(),
		followedUpCount: integer('followed_up_count').notNull(),
		accuracyJobs: integer('accuracy_jobs').notNull(),
		accurateCount: integer('accurate_count').notNull(),
		repairMinuteMarks: doublePrecision('repair_minute_marks').array().notNull()
	},
	(t) => [primaryKey({ columns: [t.stationId, t.month] })]
);

/**
 * The queue of jobs whose facts a write may have changed, until the background refresh
 * (kpi/fact-refresh.ts) takes them; reads never do. No foreign key: the triggers that fill it
 * also fire while a station's jobs are deleted with the station.
 */
export const jobKpiStale = pgTable(
	'job_kpi_stale',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		/**
		 * When the write marked the job (its transaction's start): a station's facts are complete
		 * for every write before its oldest mark, the "as of" of its scorecards.
		 */
		markedAt: tstz('marked_at').notNull().defaultNow()
	},
	(t) => [
		// The oldest marks first (a batch, the "as of"), then every mark of the jobs taken.
		index('job_kpi_stale_station_marked_idx').on(t.stationId, t.markedAt),
		index('job_kpi_stale_station_job_idx').on(t.stationId, t.jobId)
	]
);

/*
 * Honest numbers (issue 13, docs/kpi-rules.md): how steps were entered, flags a supervisor
 * accepted, appeals and the exclusions they grant, customers' survey answers, effective-dated
 * KPI settings and closed periods.
 */

/**
 * How each visit step's current time was entered and when: what the time flags (typed_time,
 * late_entry) are computed from. One row per job and step, rewritten whenever the step's time
 * is. `noted_at` is the device's clock when the change was made (null for imports);
 * `received_at` the server's when it arrived.
 */
export const jobStepEntries = pgTable(
	'job_step_entries',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		step: text('step', { enum: JOB_STEPS }).notNull(),
		entry: text('entry', { enum: STEP_ENTRIES }).notNull(),
		notedAt: tstz('noted_at'),
		receivedAt: tstz('received_at').notNull().defaultNow(),
		recordedBy: uuid('recorded_by'),
		/** Where the step happened (issue 14): null when the station does not ask for it. */
		position: text('position', { enum: POSITION_STATES }),
		latitude: doublePrecision('latitude'),
		longitude: doublePrecision('longitude'),
		/** The fix's accuracy radius in metres, as the phone's geolocation reported it. */
		positionAccuracyM: doublePrecision('position_accuracy_m')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId, t.step] }),
		check(
			'job_step_entries_position',
			sql`${t.position} IS NULL OR ${t.position} IN ('recorded', 'denied', 'unavailable')`
		),
		check(
			'job_step_entries_position_fix',
			sql`(${t.position} IS NOT DISTINCT FROM 'recorded') = (${t.latitude} IS NOT NULL AND ${t.longitude} IS NOT NULL AND ${t.positionAccuracyM} IS NOT NULL)
				AND (${t.latitude} IS NULL OR ${t.latitude} BETWEEN -90 AND 90)
				AND (${t.longitude} IS NULL OR ${t.longitude} BETWEEN -180 AND 180)
				AND (${t.positionAccuracyM} IS NULL OR ${t.positionAccuracyM} >= 0)`
		),
		foreignKey({
			name: 'job_step_entries_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		check('job_step_entries_step', sql`${t.step} IN ('arrived', 'started', 'completed')`),
		check('job_step_entries_entry', sql`${t.entry} IN ('tap', 'typed', 'import')`)
	]
);

/**
 * A flag on a job a supervisor accepted with a reason (or an appeal about it was accepted): the
 * flag is still shown, but no longer makes the job not clean.
 */
export const jobFlagAcceptances = pgTable(
	'job_flag_acceptances',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		flag: text('flag').notNull(),
		reason: text('reason').notNull(),
		acceptedBy: uuid('accepted_by').notNull(),
		acceptedAt: tstz('accepted_at').notNull().defaultNow(),
		appealId: uuid('appeal_id')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId, t.flag] }),
		foreignKey({
			name: 'job_flag_acceptances_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'job_flag_acceptances_user_fk',
			columns: [t.stationId, t.acceptedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('job_flag_acceptances_reason_not_blank', sql`btrim(${t.reason}) <> ''`)
	]
);

/**
 * A technician's appeal of a rework or a flag on their own job, and the supervisor's decision.
 * At most one pending appeal per job, subject and flag.
 */
export const jobAppeals = pgTable(
	'job_appeals',
	{
		stationId: uuid('station_id').notNull(),
		id: uuid('id').notNull().defaultRandom(),
		jobId: uuid('job_id').notNull(),
		technicianId: uuid('technician_id').notNull(),
		subject: text('subject', { enum: APPEAL_SUBJECTS }).notNull(),
		/** The flag appealed (subject flag), else null. */
		flag: text('flag'),
		reason: text('reason').notNull(),
		evidence: text('evidence').notNull().default(''),
		status: text('status', { enum: APPEAL_STATUSES }).notNull().default('pending'),
		createdAt: createdAt(),
		decidedBy: uuid('decided_by'),
		decidedAt: tstz('decided_at'),
		decisionReason: text('decision_reason')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'job_appeals_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'job_appeals_technician_fk',
			columns: [t.stationId, t.technicianId],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'job_appeals_decided_by_fk',
			columns: [t.stationId, t.decidedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('job_appeals_subject', sql`${t.subject} IN ('rework', 'flag')`),
		check('job_appeals_status', sql`${t.status} IN ('pending', 'accepted', 'rejected')`),
		check('job_appeals_flag_when_flag', sql`(${t.subject} = 'flag') = (${t.flag} IS NOT NULL)`),
		check('job_appeals_reason_not_blank', sql`btrim(${t.reason}) <> ''`),
		check('job_appeals_decided', sql`(${t.status} = 'pending') = (${t.decidedAt} IS NULL)`),
		uniqueIndex('job_appeals_one_pending_idx')
			.on(t.stationId, t.jobId, t.subject, sql`coalesce(${t.flag}, '')`)
			.where(sql`${t.status} = 'pending'`),
		index('job_appeals_station_status_idx').on(t.stationId, t.status, t.createdAt)
	]
);

/** A job taken out of one KPI (numerator and denominator) by an accepted appeal, with why. */
export const jobKpiExclusions = pgTable(
	'job_kpi_exclusions',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		kpi: text('kpi', { enum: EXCLUDABLE_KPIS }).notNull(),
		reason: text('reason').notNull(),
		appealId: uuid('appeal_id'),
		decidedBy: uuid('decided_by').notNull(),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId, t.kpi] }),
		foreignKey({
			name: 'job_kpi_exclusions_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'job_kpi_exclusions_decided_by_fk',
			columns: [t.stationId, t.decidedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('job_kpi_exclusions_kpi', sql`${t.kpi} IN ('repair_success_rate', 'record_accuracy')`)
	]
);

/**
 * A customer's answer to a job's survey link (public page, no account): at most one per job.
 * The answer also writes the follow_ups row (source survey) the KPIs count.
 */
export const surveyAnswers = pgTable(
	'survey_answers',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		answeredAt: tstz('answered_at').notNull().defaultNow(),
		satisfaction: smallint('satisfaction').notNull(),
		issueResolved: boolean('issue_resolved'),
		comment: text('comment').notNull().default(''),
		followUpId: uuid('follow_up_id').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId] }),
		foreignKey({
			name: 'survey_answers_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		foreignKey({
			name: 'survey_answers_follow_up_fk',
			columns: [t.stationId, t.followUpId],
			foreignColumns: [followUps.stationId, followUps.id]
		}).onDelete('cascade'),
		check('survey_answers_satisfaction_range', sql`${t.satisfaction} BETWEEN 1 AND 5`)
	]
);

/**
 * How many requests each signed-in account made in its current minute: the per-account rate
 * limit (http/request-rate.ts), in the database so every server instance counts the same. One
 * row per account that has made a request, rewritten in place.
 */
export const requestCounts = pgTable(
	'request_counts',
	{
		stationId: uuid('station_id').notNull(),
		userId: uuid('user_id').notNull(),
		windowStartedAt: tstz('window_started_at').notNull(),
		requests: integer('requests').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.userId] }),
		foreignKey({
			name: 'request_counts_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}).onDelete('cascade')
	]
);

/**
 * How many survey answers one network address sent in the current window: the public page's
 * rate limit, kept in the database so every server instance shares it.
 */
export const surveyThrottle = pgTable('survey_throttle', {
	address: text('address').primaryKey(),
	windowStart: tstz('window_start').notNull().defaultNow(),
	attempts: integer('attempts').notNull().default(0)
});

/**
 * The station's KPI settings from a date on (kpi.md "Scoring" plus docs/kpi-rules.md's
 * minimums): thresholds, weights and minimum samples (kpi_settings), the rework window and the
 * ranking minimum. A period is scored with the version in force on its last day; a change is
 * effective from a date on or after the day it is made, never backwards. The first version of a
 * station is effective from -infinity.
 */
export const kpiSettingsVersions = pgTable(
	'kpi_settings_versions',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		effectiveFrom: date('effective_from').notNull(),
		kpiSettings: jsonb('kpi_settings').$type<KpiSettings>().notNull(),
		reworkWindowDays: integer('rework_window_days').notNull(),
		minJobsForRanking: integer('min_jobs_for_ranking').notNull(),
		createdBy: uuid('created_by'),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.stationId, t.effectiveFrom] })]
);

/**
 * A closed period: its scorecard frozen as computed at closing, with the settings in force.
 * Reopening keeps the row (reopened_at/by/reason) so every close and reopen stays on record; at
 * most one closure of a period is in force.
 */
export const periodClosures = pgTable(
	'period_closures',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		periodFrom: date('period_from').notNull(),
		periodTo: date('period_to').notNull(),
		closedBy: uuid('closed_by').notNull(),
		closedAt: tstz('closed_at').notNull().defaultNow(),
		scorecard: jsonb('scorecard').notNull(),
		settings: jsonb('settings').notNull(),
		reopenedBy: uuid('reopened_by'),
		reopenedAt: tstz('reopened_at'),
		reopenReason: text('reopen_reason')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'period_closures_closed_by_fk',
			columns: [t.stationId, t.closedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		foreignKey({
			name: 'period_closures_reopened_by_fk',
			columns: [t.stationId, t.reopenedBy],
			foreignColumns: [users.stationId, users.id]
		}),
		check('period_closures_range', sql`${t.periodFrom} < ${t.periodTo}`),
		check(
			'period_closures_reopen_complete',
			sql`(${t.reopenedAt} IS NULL) = (${t.reopenedBy} IS NULL)
				AND (${t.reopenedAt} IS NULL) = (${t.reopenReason} IS NULL)`
		),
		uniqueIndex('period_closures_in_force_idx')
			.on(t.stationId, t.periodFrom, t.periodTo)
			.where(sql`${t.reopenedAt} IS NULL`)
	]
);

/** Who changed which station setting when, with the values before and after (supervisor pages). */
export const settingsAudit = pgTable(
	'settings_audit',
	{
		stationId: uuid('station_id')
			.notNull()
			.references(() => stations.id, { onDelete: 'cascade' }),
		id: uuid('id').notNull().defaultRandom(),
		userId: uuid('user_id'),
		changedAt: tstz('changed_at').notNull().defaultNow(),
		/** What changed: 'kpi_settings', 'rework_window_days', 'fault_category:<code>', ... */
		subject: text('subject').notNull(),
		oldValue: jsonb('old_value'),
		newValue: jsonb('new_value')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'settings_audit_user_fk',
			columns: [t.stationId, t.userId],
			foreignColumns: [users.stationId, users.id]
		}),
		index('settings_audit_station_time_idx').on(t.stationId, t.changedAt)
	]
);

/*
 * Offline sync bookkeeping (docs/sync.md). Except for job_history, these tables have no
 * foreign key to stations or users on purpose: the demo reset deletes and rebuilds a station
 * (same ids), and a device's client record and the tombstones it still has to receive must
 * outlive that, or the device would never learn of the deletes and its mutation ids would
 * start over.
 */

export const SYNC_TOMBSTONE_TABLES = [
	'jobs',
	'job_parts',
	'follow_ups',
	'parts',
	'fault_categories'
] as const;
export type SyncTombstoneTable = (typeof SYNC_TOMBSTONE_TABLES)[number];

/**
 * A row that is gone for some devices: deleted, or a job reassigned away from
 * `audience_user_id` (its lines and follow-ups go with it on the device). Written by triggers
 * (drizzle/sql/sync-tombstones.sql), so deletes by any writer reach devices. A line or follow-up
 * deleted on its own, and catalog rows (parts, fault categories), are addressed to the whole
 * station.
 */
export const syncTombstones = pgTable(
	'sync_tombstones',
	{
		stationId: uuid('station_id').notNull(),
		id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
		tableName: text('table_name', { enum: SYNC_TOMBSTONE_TABLES }).notNull(),
		rowId: uuid('row_id').notNull(),
		/** The technician whose devices held the row; null: anyone in the station. */
		audienceUserId: uuid('audience_user_id'),
		/**
		 * A line's or follow-up's job: a technician is sent the tombstone only while that job is
		 * theirs, so no pull carries the ids of a colleague's rows.
		 */
		jobId: uuid('job_id'),
		version: syncVersion(),
		deletedAt: tstz('deleted_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		check(
			'sync_tombstones_table_name',
			sql`${t.tableName} IN ('jobs', 'job_parts', 'follow_ups', 'parts', 'fault_categories')`
		),
		index('sync_tombstones_version_idx').on(t.stationId, t.version),
		index('sync_tombstones_row_idx').on(t.stationId, t.rowId),
		index('sync_tombstones_deleted_at_idx').on(t.stationId, t.deletedAt)
	]
);

/**
 * Tombstones up to `pruned_through` have been pruned: a device whose cursor is not past it
 * may have missed a delete and must start again from a full snapshot.
 */
export const syncRetention = pgTable('sync_retention', {
	stationId: uuid('station_id').primaryKey(),
	prunedThrough: xid8('pruned_through').notNull(),
	prunedAt: tstz('pruned_at').notNull().defaultNow()
});

/** One device database of one user: its id is made on the device, its mutation ids count up. */
export const syncClients = pgTable(
	'sync_clients',
	{
		stationId: uuid('station_id').notNull(),
		id: uuid('id').notNull(),
		userId: uuid('user_id').notNull(),
		/** The highest mutation id processed (applied or rejected); 0 before the first. */
		lastMutationId: bigint('last_mutation_id', { mode: 'number' }).notNull().default(0),
		createdAt: createdAt(),
		lastSeenAt: tstz('last_seen_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		check('sync_clients_last_mutation_id_nonnegative', sql`${t.lastMutationId} >= 0`)
	]
);

export const syncMutationStatus = pgEnum('sync_mutation_status', ['applied', 'rejected']);

/** Every processed mutation: the audit trail, and what a re-sent mutation is answered with. */
export const syncMutations = pgTable(
	'sync_mutations',
	{
		stationId: uuid('station_id').notNull(),
		clientId: uuid('client_id').notNull(),
		mutationId: bigint('mutation_id', { mode: 'number' }).notNull(),
		name: text('name').notNull(),
		args: jsonb('args'),
		/** The device's clock when the change was made. */
		madeAt: tstz('made_at').notNull(),
		receivedAt: tstz('received_at').notNull().defaultNow(),
		status: syncMutationStatus('status').notNull(),
		/** { code, message } of a rejection. */
		error: jsonb('error').$type<{ code: string; message: string }>()
	},
	(t) => [
		// No foreign key to sync_clients: a push writes its rows in the statement that moves
		// their client's last_mutation_id (sync/push.ts), and checking the key for each of a
		// batch's 200 rows was almost half of that statement. Clients are never deleted.
		primaryKey({ columns: [t.stationId, t.clientId, t.mutationId] })
	]
);

/**
 * Every changed value of a job: who, when (server), the device's time of the action, old and
 * new value (jsonb, as `to_jsonb` renders the column), and the reason given. Written by the
 * `job_history_record` trigger, which reads the actor from transaction-local settings
 * (db/change-context.ts), so every writer's changes are recorded; and, for the steps a sync
 * push folds into a new job's creation, by tryCreateJobs (sync/bulk/jobs.ts) as the trigger would
 * have written them (fold.property.test.ts holds the two to the same rows).
 */
export const jobHistory = pgTable(
	'job_history',
	{
		stationId: uuid('station_id').notNull(),
		id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
		jobId: uuid('job_id').notNull(),
		field: text('field').notNull(),
		oldValue: jsonb('old_value'),
		newValue: jsonb('new_value'),
		changedBy: uuid('changed_by'),
		changedAt: tstz('changed_at').notNull().defaultNow(),
		deviceTime: tstz('device_time'),
		clientId: uuid('client_id'),
		mutationId: bigint('mutation_id', { mode: 'number' }),
		reason: text('reason')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		// No foreign keys: rows are written from the job row being written and the actor the
		// writer set, and checking both keys for every
		// changed value cost more than the rest of a sync push's update. A deleted job takes
		// its history with it by trigger (drizzle/sql/job-history.sql).
		index('job_history_job_idx').on(t.stationId, t.jobId, t.changedAt)
	]
);

export type Station = typeof stations.$inferSelect;
export type User = typeof users.$inferSelect;
export type AccountAudit = typeof accountAudit.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type Part = typeof parts.$inferSelect;
export type FaultCategory = typeof faultCategories.$inferSelect;
export type JobPart = typeof jobParts.$inferSelect;
export type FollowUp = typeof followUps.$inferSelect;
export type FollowUpCall = typeof followUpCalls.$inferSelect;
export type JobOverlap = typeof jobOverlaps.$inferSelect;
export type JobHistory = typeof jobHistory.$inferSelect;
/**
 * A photo or signature on a job (issue 14): its description, sent first by the phone with the id
 * it made (so re-sending is idempotent), and how much of it has arrived. The bytes live apart in
 * job_file_contents and job_file_pieces, which nothing that syncs or scores ever reads.
 */
export const jobFiles = pgTable(
	'job_files',
	{
		stationId: uuid('station_id').notNull(),
		id: uuid('id').notNull(),
		jobId: uuid('job_id').notNull(),
		kind: text('kind', { enum: JOB_FILE_KINDS }).notNull(),
		contentType: text('content_type', { enum: JOB_FILE_TYPES }).notNull(),
		byteSize: integer('byte_size').notNull(),
		/** Lower-case hex SHA-256 of the whole file: checked when the last piece arrives. */
		sha256: text('sha256').notNull(),
		width: integer('width'),
		height: integer('height'),
		/** The phone's clock when the photo was taken or the signature given. */
		takenAt: tstz('taken_at').notNull(),
		uploadedBy: uuid('uploaded_by').notNull(),
		createdAt: createdAt(),
		/** Bytes stored so far, contiguous from the start: where a resumed upload goes on. */
		receivedBytes: integer('received_bytes').notNull().default(0),
		/** When the whole file arrived and matched its hash; null while uploading. */
		storedAt: tstz('stored_at')
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.id] }),
		foreignKey({
			name: 'job_files_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		index('job_files_job_idx').on(t.stationId, t.jobId),
		check('job_files_kind', sql`${t.kind} IN ('before', 'after', 'part', 'other')`),
		check(
			'job_files_content_type',
			sql`${t.contentType} IN ('image/jpeg', 'image/png', 'image/webp')`
		),
		check(
			'job_files_byte_size',
			sql`${t.byteSize} BETWEEN 1 AND ${sql.raw(String(JOB_FILE_MAX_BYTES))}`
		),
		check('job_files_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
		check(
			'job_files_received',
			sql`${t.receivedBytes} BETWEEN 0 AND ${t.byteSize}
				AND (${t.storedAt} IS NULL OR ${t.receivedBytes} = ${t.byteSize})`
		),
		check(
			'job_files_dimensions',
			sql`(${t.width} IS NULL OR ${t.width} > 0) AND (${t.height} IS NULL OR ${t.height} > 0)`
		)
	]
);

/**
 * The customer's signature on a completed job (issue 14, lib/shared/signature.ts): vector strokes
 * in the signature box, the name typed beside them and the phone's clock when signed. Written in
 * the transaction that records the completion (job.complete carries it), once: a completion is
 * never recorded twice. Read by the job pages and the service receipt only, never synced or scored.
 */
export const jobSignatures = pgTable(
	'job_signatures',
	{
		stationId: uuid('station_id').notNull(),
		jobId: uuid('job_id').notNull(),
		signerName: text('signer_name').notNull(),
		signedAt: tstz('signed_at').notNull(),
		/** [[x0, y0, x1, y1, …], …] in the 1000 × 400 box; shape checked by signatureStrokesSchema. */
		strokes: jsonb('strokes').$type<number[][]>().notNull(),
		/** Who recorded the completion that carried it (the technician, or a supervisor). */
		recordedBy: uuid('recorded_by').notNull(),
		/** The server's clock when it arrived. */
		receivedAt: tstz('received_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.jobId] }),
		foreignKey({
			name: 'job_signatures_job_fk',
			columns: [t.stationId, t.jobId],
			foreignColumns: [jobs.stationId, jobs.id]
		}).onDelete('cascade'),
		check(
			'job_signatures_signer_name',
			sql`char_length(${t.signerName}) BETWEEN 1 AND ${sql.raw(String(SIGNER_NAME_MAX))}`
		),
		check(
			'job_signatures_strokes',
			sql`jsonb_typeof(${t.strokes}) = 'array' AND jsonb_array_length(${t.strokes}) BETWEEN 1 AND ${sql.raw(String(SIGNATURE_MAX_STROKES))}`
		)
	]
);

/** A file's bytes once whole, and its thumbnail (sent with the description). */
export const jobFileContents = pgTable(
	'job_file_contents',
	{
		stationId: uuid('station_id').notNull(),
		fileId: uuid('file_id').notNull(),
		variant: text('variant', { enum: ['full', 'thumbnail'] }).notNull(),
		contentType: text('content_type', { enum: JOB_FILE_TYPES }).notNull(),
		data: bytea('data').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.fileId, t.variant] }),
		foreignKey({
			name: 'job_file_contents_file_fk',
			columns: [t.stationId, t.fileId],
			foreignColumns: [jobFiles.stationId, jobFiles.id]
		}).onDelete('cascade'),
		check('job_file_contents_variant', sql`${t.variant} IN ('full', 'thumbnail')`)
	]
);

/** The pieces of a file still uploading, by byte offset; joined and removed when it is whole. */
export const jobFilePieces = pgTable(
	'job_file_pieces',
	{
		stationId: uuid('station_id').notNull(),
		fileId: uuid('file_id').notNull(),
		byteOffset: integer('byte_offset').notNull(),
		data: bytea('data').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.stationId, t.fileId, t.byteOffset] }),
		foreignKey({
			name: 'job_file_pieces_file_fk',
			columns: [t.stationId, t.fileId],
			foreignColumns: [jobFiles.stationId, jobFiles.id]
		}).onDelete('cascade'),
		check('job_file_pieces_offset', sql`${t.byteOffset} >= 0`)
	]
);

export type JobStepEntry = typeof jobStepEntries.$inferSelect;
export type JobFile = typeof jobFiles.$inferSelect;
export type JobSignature = typeof jobSignatures.$inferSelect;
export type JobAppeal = typeof jobAppeals.$inferSelect;
export type KpiSettingsVersion = typeof kpiSettingsVersions.$inferSelect;
export type PeriodClosure = typeof periodClosures.$inferSelect;
