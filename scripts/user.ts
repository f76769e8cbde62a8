/**
 * Accounts from the command line, for the first admin of a new installation and for
 * password resets when no admin can sign in:
 *
 *   npm run user -- add --station CODE --login L --name N --role technician|supervisor|admin --password P
 *   npm run user -- passwd --station CODE --login L --password P
 *
 * Uses the same database as the server (DATABASE_URL, else PGLITE_DIR or ./data/pglite).
 * Exit codes: 0 done, 1 refused (unknown station, duplicate login...), 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { openMigratedDatabase, type Database } from '../src/lib/server/db/index';
import { stations } from '../src/lib/server/db/schema';
import { AccountError, createAccount, setPassword } from '../src/lib/server/auth/accounts';
import {
	loginNameSchema,
	newUserSchema,
	passwordSchema,
	stationCodeSchema
} from '../src/lib/shared/schemas';

const USAGE = `Usage:
  npm run user -- add --station CODE --login LOGIN --name NAME --role technician|supervisor|admin --password PASSWORD
  npm run user -- passwd --station CODE --login LOGIN --password PASSWORD`;

const addSchema = zm.extend(newUserSchema, {
	station: stationCodeSchema,
	password: passwordSchema
});

const passwdSchema = z.object({
	station: stationCodeSchema,
	login: loginNameSchema,
	password: passwordSchema
});

class UsageError extends Error {}

type Command =
	| { name: 'add'; args: z.infer<typeof addSchema> }
	| { name: 'passwd'; args: z.infer<typeof passwdSchema> };

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
				password: { type: 'string' }
			}
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const [name, ...extra] = parsed.positionals;
	if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
	if (name === 'add') return { name, args: validate(addSchema, parsed.values) };
	if (name === 'passwd') {
		for (const option of ['name', 'role'] as const) {
			if (parsed.values[option] !== undefined) {
				throw new UsageError(`--${option} is not an option of passwd`);
			}
		}
		return { name, args: validate(passwdSchema, parsed.values) };
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

async function stationIdByCode(db: Database, code: string): Promise<string> {
	const [station] = await db
		.select({ id: stations.id })
		.from(stations)
		.where(eq(stations.code, code));
	if (!station) throw new AccountError('unknown_station', `There is no station with code ${code}.`);
	return station.id;
}

async function run(command: Command): Promise<string> {
	const handle = await openMigratedDatabase();
	try {
		const stationId = await stationIdByCode(handle.db, command.args.station);
		if (command.name === 'add') {
			const { station, ...account } = command.args;
			const created = await createAccount(handle.db, { ...account, stationId });
			return `Created ${created.role} "${created.login}" (${created.name}) in station ${station}.`;
		}
		const { station, login, password } = command.args;
		await setPassword(handle.db, { stationId, login, password });
		return `Password set for "${login}" in station ${station}; their sessions were signed out.`;
	} finally {
		await handle.close();
	}
}

try {
	console.log(await run(parseCommand(process.argv.slice(2))));
} catch (error) {
	if (error instanceof UsageError) {
		console.error(`Error: ${error.message}\n${USAGE}`);
		process.exitCode = 2;
	} else {
		// AccountError, or the database refusing to open (e.g. a PGlite folder in use): both
		// messages are written for the person at the terminal.
		console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
