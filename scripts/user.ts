/**
 * Accounts from the command line: the first administrator of a new installation (the only
 * way to create a system administrator), and password resets when no admin can sign in:
 *
 *   npm run user -- add --station CODE [--station-name NAME [--time-zone TZ]] --login L --name N
 *       --role technician|dispatcher|supervisor|admin|region_manager|system_admin --password P
 *   npm run user -- passwd --station CODE --login L --password P
 *   npm run user -- region --station CODE --login L --stations CODE1,CODE2,...
 *
 * `region` sets the stations a region manager reads (their account stays in --station, their
 * home station); the list replaces the previous one, an empty --stations "" clears it.
 *
 * --station-name creates the station when no station has that code (the first one of a new
 * installation). Passwords must pass the policy (auth/password-policy.ts). Every change is
 * audited as made by "command line". Uses the same database as the server (DATABASE_URL,
 * else PGLITE_DIR or ./data/pglite).
 * Exit codes: 0 done, 1 refused (unknown station, duplicate login, weak password...),
 * 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import {
	DataDirectoryInUse,
	openMigratedDatabase,
	type Database
} from '../src/lib/server/db/index';
import {
	COMMAND_LINE,
	createAccount,
	setPassword,
	setRegionStations
} from '../src/lib/server/auth/accounts';
import { createStation, stationByCode } from '../src/lib/server/stations/admin';
import { refusal, refusalIn } from '../src/lib/server/refusal';
import {
	loginNameSchema,
	newStationSchema,
	newUserSchema,
	passwordSchema,
	stationCodeSchema
} from '../src/lib/shared/schemas';

const USAGE = `Usage:
  npm run user -- add --station CODE [--station-name NAME [--time-zone TZ]] --login LOGIN --name NAME --role technician|dispatcher|supervisor|admin|region_manager|system_admin --password PASSWORD
  npm run user -- passwd --station CODE --login LOGIN --password PASSWORD
  npm run user -- region --station CODE --login LOGIN --stations CODE1,CODE2,...
(--station-name creates the station when it does not exist yet.)`;

const addSchema = zm.extend(newUserSchema, {
	station: stationCodeSchema,
	'station-name': zm.optional(newStationSchema.shape.name),
	'time-zone': zm.optional(newStationSchema.shape.timeZone),
	password: passwordSchema
});

const passwdSchema = z.object({
	station: stationCodeSchema,
	login: loginNameSchema,
	password: passwordSchema
});

const regionSchema = z.object({
	station: stationCodeSchema,
	login: loginNameSchema,
	// "A, b,C" → ['A', 'B', 'C']: codes are upper case, as stationCodeSchema makes them.
	stations: z
		.string()
		.transform((list) => list.split(',').map((code) => code.trim()))
		.transform((codes) => codes.filter((code) => code !== ''))
		.pipe(z.array(stationCodeSchema).max(1000))
});

class UsageError extends Error {}

type Command =
	| { name: 'add'; args: z.infer<typeof addSchema> }
	| { name: 'passwd'; args: z.infer<typeof passwdSchema> }
	| { name: 'region'; args: z.infer<typeof regionSchema> };

function parseCommand(argv: string[]): Command {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			strict: true,
			options: {
				station: { type: 'string' },
				login: { type: 'string' },
				name: { type: 'string' },
				role: { type: 'string' },
				password: { type: 'string' },
				'station-name': { type: 'string' },
				'time-zone': { type: 'string' },
				stations: { type: 'string' }
			}
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const [name, ...extra] = parsed.positionals;
	if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
	if (name !== 'region' && parsed.values.stations !== undefined) {
		throw new UsageError('--stations is an option of region only');
	}
	if (name === 'add') {
		if (parsed.values['time-zone'] !== undefined && parsed.values['station-name'] === undefined) {
			throw new UsageError('--time-zone is for a new station: give --station-name too');
		}
		return { name, args: validate(addSchema, parsed.values) };
	}
	if (name === 'passwd') {
		for (const option of ['name', 'role', 'station-name', 'time-zone'] as const) {
			if (parsed.values[option] !== undefined) {
				throw new UsageError(`--${option} is not an option of passwd`);
			}
		}
		return { name, args: validate(passwdSchema, parsed.values) };
	}
	if (name === 'region') {
		for (const option of ['name', 'role', 'password', 'station-name', 'time-zone'] as const) {
			if (parsed.values[option] !== undefined) {
				throw new UsageError(`--${option} is not an option of region`);
			}
		}
		return { name, args: validate(regionSchema, parsed.values) };
	}
	throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
}

function validate<S extends z.core.$ZodType>(
	schema: S,
	values: Record<string, unknown>
): z.infer<S> {
	const result = z.safeParse(schema, values);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => {
		const option = issue.path.join('.');
		const message = values[option] === undefined ? 'is required' : issue.message;
		return `--${option} ${message}`;
	});
	throw new UsageError(problems.join('; '));
}

/**
 * The station's id; with `create`, a station missing so far is made by the same service as the
 * admin pages' (stations/admin.ts). A station made meanwhile by someone else (the server runs
 * beside this CLI on Postgres) is simply used.
 */
async function stationIdByCode(
	db: Database,
	code: string,
	create?: { name: string; timeZone?: string }
): Promise<string> {
	const existing = await stationByCode(db, code);
	if (existing) return existing.id;
	if (create) {
		try {
			return (await createStation(db, { code, ...create }, COMMAND_LINE)).id;
		} catch (error) {
			if (refusalIn(error)?.reason.key !== 'station_code_taken') throw error;
			const raced = await stationByCode(db, code);
			if (raced) return raced.id;
		}
	}
	throw refusal('NOT_FOUND', `There is no station with code ${code}.`, 'station_unknown');
}

async function run(command: Command): Promise<string> {
	const handle = await openMigratedDatabase();
	try {
		if (command.name === 'add') {
			const {
				station,
				'station-name': stationName,
				'time-zone': timeZone,
				...account
			} = command.args;
			const create = stationName ? { name: stationName, timeZone } : undefined;
			const stationId = await stationIdByCode(handle.db, station, create);
			const created = await createAccount(
				handle.db,
				{ ...account, stationId },
				{ actor: COMMAND_LINE }
			);
			return `Created ${created.role} "${created.login}" (${created.name}) in station ${station}.`;
		}
		if (command.name === 'region') {
			const { station, login, stations } = command.args;
			const stationId = await stationIdByCode(handle.db, station);
			const { stationCodes } = await setRegionStations(
				handle.db,
				{ stationId, login, stationCodes: stations },
				{ actor: COMMAND_LINE }
			);
			return stationCodes.length > 0
				? `"${login}" of station ${station} now reads stations ${stationCodes.join(', ')}; their sessions were signed out.`
				: `"${login}" of station ${station} now reads no station; their sessions were signed out.`;
		}
		const { station, login, password } = command.args;
		const stationId = await stationIdByCode(handle.db, station);
		await setPassword(handle.db, { stationId, login, password }, { actor: COMMAND_LINE });
		return `Password set for "${login}" in station ${station}; their sessions were signed out.`;
	} finally {
		await handle.close();
	}
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
	console.log(USAGE);
	process.exit(0);
}
try {
	console.log(await run(parseCommand(argv)));
} catch (error) {
	if (error instanceof UsageError) {
		console.error(`Error: ${error.message}\n${USAGE}`);
		process.exitCode = 2;
	} else if (error instanceof DataDirectoryInUse) {
		// The server holds the embedded database: say so, and what to do instead, not just "busy".
		console.error(
			`Error: ${error.message}\nWhile the server runs, manage accounts in its administration pages (/admin), or stop the server and run this again.`
		);
		process.exitCode = 1;
	} else {
		// A refusal (refusal.ts): its message is written for the person at the terminal.
		console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
